/** What a benchmark reports: its figures, and whether it met its goal (null: it has none). */
export type BenchOutcome = { pass: boolean | null };

/**
 * Runs one benchmark as a script. Exit code 0: ran and met its goal; 1: goal missed;
 * 2: the benchmark itself failed. bench/run.ts relies on these codes.
 */
export async function runBench(name: string, body: () => Promise<BenchOutcome>): Promise<void> {
  // An interrupted run still goes through 'exit', which stops the spawned servers.
  process.once('SIGINT', () => process.exit(130));
  console.log(`\n== bench: ${name} ==`);
  try {
    const { pass } = await body();
    process.exitCode = pass === false ? 1 : 0;
  } catch (e) {
    console.error(
      `\nbench ${name} failed: ${e instanceof Error ? (e.stack ?? e.message) : String(e)}`,
    );
    process.exitCode = 2;
  }
}
