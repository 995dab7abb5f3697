/**
 * What the demo has started, stopped in reverse order at exit: whatever step fails, everything
 * started before it is stopped, and one thing failing to stop does not keep the others running.
 */
export class Cleanup {
  private readonly steps: { readonly what: string; readonly run: () => Promise<void> }[] = [];

  add(what: string, run: () => Promise<void>): void {
    this.steps.push({ what, run });
  }

  /** Runs every step, last added first; returns what could not be stopped, with why. */
  async run(): Promise<string[]> {
    const problems: string[] = [];
    for (let step = this.steps.pop(); step !== undefined; step = this.steps.pop()) {
      try {
        await step.run();
      } catch (error) {
        problems.push(`stopping ${step.what} failed: ${(error as Error).message}`);
      }
    }
    return problems;
  }
}
