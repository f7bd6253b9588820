import type { AppRouter } from '../../context';
import { registerWhoami } from './whoami';

export function registerAdminRoutes(app: AppRouter) {
  registerWhoami(app);
}
