/** `@slipstream/cloud-simulators/ec2`: the Amazon EC2 Query API (2016-11-15), Signature Version 4 signed. */
export {
  AMAZON_OWNER_ID,
  EC2_API_VERSION,
  EC2_CATALOG,
  EC2_DEFAULT_REGION,
  EC2_IMAGES,
  EC2_INSTANCE_TYPES,
  EC2_ZONES,
  type Ec2AccountSpec,
  type Ec2SimulatorOptions,
  ec2Catalog,
  type RunningEc2,
  startEc2,
} from './ec2/index.js';
