// Entry point of the `shoplens` CLI (bin/shoplens.mjs loads this through tsx).

import { main } from './cli';

process.exitCode = await main(process.argv.slice(2));
