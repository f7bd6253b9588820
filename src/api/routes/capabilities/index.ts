import { CAPABILITIES } from '../../../capabilities/index';
import type { AppRouter } from '../../context';
import { registerInvokeCapability } from './invoke-capability';
import { registerListCapabilities } from './list-capabilities';

/** The capability list: public metadata. */
export function registerCapabilityListRoute(app: AppRouter) {
  registerListCapabilities(app);
}

/** One POST route per capability; app.ts guards each with the scope it declares. */
export function registerCapabilityRoutes(app: AppRouter) {
  for (const capability of CAPABILITIES) registerInvokeCapability(app, capability);
}
