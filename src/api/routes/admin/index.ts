import type { AppRouter } from '../../context';
import { registerAdminDatasetRoutes } from './datasets/index';
import { registerWhoami } from './whoami';

export function registerAdminRoutes(app: AppRouter) {
  registerWhoami(app);
  registerAdminDatasetRoutes(app);
}
