// One more process of a describe benchmark's rounds, started by describe-harness.js's compare():
// runs the benchmark module named by its argument, whose compare() then prints its samples for the
// first process to pool instead of a table.
const { run } = await import(process.argv[2]);
await run();
