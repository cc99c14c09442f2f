#!/usr/bin/env node
// The `bishui` command: loads the TypeScript CLI through tsx, so there is no build step to forget.
import { register } from 'tsx/esm/api';

// The AWS SDK warns on every run that Node 20 support ends in 2027; Lambda runs Node 22, and the
// local tools say so in the README instead of on every command.
process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';

register();
const { main } = await import('../local/cli/main.ts');
process.exitCode = await main(process.argv);
