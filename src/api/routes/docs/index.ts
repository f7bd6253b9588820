import type { AppRouter } from '../../context';
import { registerOpenApiJson } from './openapi-json';
import { registerRedoc } from './redoc';

export function registerDocsRoutes(app: AppRouter, serverUrl: string | undefined) {
  registerOpenApiJson(app, serverUrl);
  registerRedoc(app);
}
