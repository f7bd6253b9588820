// docs/errors.md and the configuration reference are generated from the error table
// and the config schema, so the guides cannot drift from the code. A test fails when
// the committed files differ from a fresh generation (`npm run docs:generate`).
import { configSchema } from '../src/config';
import { ERRORS } from '../src/errors';

export function errorsMarkdown(): string {
  const rows = Object.entries(ERRORS).map(([code, spec]) => `| \`${code}\` | ${spec.status} | ${spec.title} | ${spec.fix} |`);
  return `# Errors

<!-- Generated from src/errors.ts by \`npm run docs:generate\`; do not edit by hand. -->

Every error Kaifang answers is an RFC 9457 problem (\`Content-Type: application/problem+json\`):

\`\`\`json
{
  "type": "urn:kaifang:problem:validation_failed",
  "title": "Request validation failed",
  "status": 400,
  "detail": "Invalid query.limit.",
  "instance": "/v1/datasets",
  "code": "validation_failed",
  "requestId": "7f1c0a9e-8d4b-4c1e-9a57-3c2f0d9b1e21",
  "errors": [{ "location": "query.limit", "message": "Too big: expected number to be <=1000" }]
}
\`\`\`

Branch on \`code\`, never on \`title\` or \`detail\`. Quote \`requestId\` (also in the \`X-Request-Id\`
header) when reporting a problem. Problems never contain secrets or personal data.

| code | status | title | meaning and fix |
|---|---|---|---|
${rows.join('\n')}
`;
}

export function configurationMarkdown(): string {
  const rows = Object.entries(configSchema.shape).map(([name, schema]) => {
    const json = schema.toJSONSchema({ io: 'input', unrepresentable: 'any' }) as { default?: unknown };
    const fallback = json.default === undefined ? '' : `\`${String(json.default)}\``;
    return `| \`${name}\` | ${fallback} | ${schema.description ?? ''} |`;
  });
  return `<!-- Generated from src/config.ts by \`npm run docs:generate\`; do not edit by hand. -->

| variable | default | meaning |
|---|---|---|
${rows.join('\n')}
`;
}
