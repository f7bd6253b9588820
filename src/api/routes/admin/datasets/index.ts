import type { AppRouter } from '../../../context';
import { registerCreateDataset } from './create-dataset';
import { registerCreatePublisher } from './create-publisher';
import { registerGetAdminDataset } from './get-dataset';
import { registerGetVersion } from './get-version';
import { registerImportVersion } from './import-version';
import { registerPutDeclarations } from './put-declarations';
import { registerReviewActions } from './review';

/** Steward publishing pipeline: publishers, datasets, imports and reviews. */
export function registerAdminDatasetRoutes(app: AppRouter) {
  registerCreatePublisher(app);
  registerCreateDataset(app);
  registerGetAdminDataset(app);
  registerPutDeclarations(app);
  registerImportVersion(app);
  registerGetVersion(app);
  registerReviewActions(app);
}
