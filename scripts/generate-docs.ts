import { writeFileSync } from 'node:fs';
import { configurationMarkdown, errorsMarkdown } from './generated-docs';

writeFileSync(new URL('../docs/errors.md', import.meta.url), errorsMarkdown());
writeFileSync(new URL('../docs/configuration-reference.md', import.meta.url), configurationMarkdown());
console.log('wrote docs/errors.md and docs/configuration-reference.md');
