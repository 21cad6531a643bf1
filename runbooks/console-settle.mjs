#!/usr/bin/env node
// A pause between two console steps: each console step opens its own session, and a BMC serves one SOL
// session at a time; the previous one is freed a moment after it closes. Runs locally, contacts nothing.
await new Promise((resolve) => setTimeout(resolve, 1500));
