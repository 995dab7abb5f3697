/**
 * The URLs and media types vCD gives its entities. Hrefs are absolute, built from the URL the client
 * called (its Host header), as vCD builds them from its public address; ids in them are uuids, with
 * a type prefix for vApps, VMs and templates (`vapp-…`, `vm-…`, `vappTemplate-…`). Entity ids in
 * `id` attributes are URNs (`urn:vcloud:vapp:<uuid>`).
 */

export const MEDIA = Object.freeze({
  vApp: 'application/vnd.vmware.vcloud.vApp+xml',
  vm: 'application/vnd.vmware.vcloud.vm+xml',
  vAppTemplate: 'application/vnd.vmware.vcloud.vAppTemplate+xml',
  vdc: 'application/vnd.vmware.vcloud.vdc+xml',
  org: 'application/vnd.vmware.vcloud.org+xml',
  orgList: 'application/vnd.vmware.vcloud.orgList+xml',
  orgNetwork: 'application/vnd.vmware.vcloud.orgNetwork+xml',
  network: 'application/vnd.vmware.vcloud.network+xml',
  catalog: 'application/vnd.vmware.vcloud.catalog+xml',
  catalogItem: 'application/vnd.vmware.vcloud.catalogItem+xml',
  task: 'application/vnd.vmware.vcloud.task+xml',
  error: 'application/vnd.vmware.vcloud.error+xml',
  records: 'application/vnd.vmware.vcloud.query.records+xml',
  idrecords: 'application/vnd.vmware.vcloud.query.idrecords+xml',
  references: 'application/vnd.vmware.vcloud.query.references+xml',
  queryList: 'application/vnd.vmware.vcloud.query.queryList+xml',
  metadata: 'application/vnd.vmware.vcloud.metadata+xml',
  metadataValue: 'application/vnd.vmware.vcloud.metadata.value+xml',
  owner: 'application/vnd.vmware.vcloud.owner+xml',
  user: 'application/vnd.vmware.admin.user+xml',
  session: 'application/vnd.vmware.vcloud.session+xml',
  instantiateParams: 'application/vnd.vmware.vcloud.instantiateVAppTemplateParams+xml',
  undeployParams: 'application/vnd.vmware.vcloud.undeployVAppParams+xml',
  deployParams: 'application/vnd.vmware.vcloud.deployVAppParams+xml',
  networkConfigSection: 'application/vnd.vmware.vcloud.networkConfigSection+xml',
  networkConnectionSection: 'application/vnd.vmware.vcloud.networkConnectionSection+xml',
  guestCustomizationSection: 'application/vnd.vmware.vcloud.guestCustomizationSection+xml',
  virtualHardwareSection: 'application/vnd.vmware.vcloud.virtualHardwareSection+xml',
  leaseSettingsSection: 'application/vnd.vmware.vcloud.leaseSettingsSection+xml',
  operatingSystemSection: 'application/vnd.vmware.vcloud.operatingSystemSection+xml',
  rasdItem: 'application/vnd.vmware.vcloud.rasdItem+xml',
  vmSpecSection: 'application/vnd.vmware.vcloud.vmSpecSection+xml',
  versions: 'application/xml',
});

export class Hrefs {
  readonly base: string;

  constructor(base: string) {
    this.base = base.replace(/\/+$/, '');
  }

  api(path = ''): string {
    return `${this.base}/api${path}`;
  }
  vapp(id: string): string {
    return this.api(`/vApp/vapp-${id}`);
  }
  vm(id: string): string {
    return this.api(`/vApp/vm-${id}`);
  }
  template(id: string): string {
    return this.api(`/vAppTemplate/vappTemplate-${id}`);
  }
  templateVm(id: string): string {
    return this.api(`/vAppTemplate/vm-${id}`);
  }
  vdc(id: string): string {
    return this.api(`/vdc/${id}`);
  }
  org(id: string): string {
    return this.api(`/org/${id}`);
  }
  network(id: string): string {
    return this.api(`/network/${id}`);
  }
  catalog(id: string): string {
    return this.api(`/catalog/${id}`);
  }
  catalogItem(id: string): string {
    return this.api(`/catalogItem/${id}`);
  }
  task(id: string): string {
    return this.api(`/task/${id}`);
  }
  user(id: string): string {
    return this.api(`/admin/user/${id}`);
  }
  metadata(entityHref: string): string {
    return `${entityHref}/metadata`;
  }
  metadataEntry(entityHref: string, key: string): string {
    return `${entityHref}/metadata/${encodeURIComponent(key)}`;
  }
}

export const urn = (type: string, uuid: string): string => `urn:vcloud:${type}:${uuid}`;

// Global, for `match` to return every uuid (it starts from the beginning on each call).
const UUIDS = /[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}/gi;

/** The uuid an href, URN or bare id names (the last one in it), lower-cased; undefined when none. */
export function uuidIn(reference: string): string | undefined {
  const all = reference.match(UUIDS);
  return all?.[all.length - 1]?.toLowerCase();
}
