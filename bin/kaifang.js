#!/usr/bin/env node
// Runs the TypeScript entry point through tsx, so the installed command and
// `npm start` execute the same source.
import { register } from 'tsx/esm/api';

register();
await import('../src/main.ts');
