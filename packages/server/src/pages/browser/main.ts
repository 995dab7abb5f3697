/**
 * The pages' one script (built to dist/pages/slipstream.js, served as /assets/slipstream.js). It
 * sends forms as JSON to the REST API with the session's CSRF token and swaps in parts of the page
 * the server renders again; every piece of markup comes from the server, so nothing an API answer
 * holds is ever parsed as HTML. Each part sets itself up only on the page that has its elements.
 */

import { setUpConfiguration } from './configuration.js';
import { setUpCredentials } from './credentials.js';
import { setUpLaunchForm } from './launch.js';
import { setUpLogin, setUpLogout } from './session.js';
import { setUpTokens } from './tokens.js';
import { setUpUsers } from './users.js';
import { setUpVmTable } from './vms.js';

setUpLogout();
setUpLogin();
setUpConfiguration();
setUpCredentials();
const vmTable = setUpVmTable();
setUpLaunchForm(() => void vmTable?.refresh());
setUpUsers();
setUpTokens();
