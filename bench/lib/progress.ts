import cliProgress from 'cli-progress';

export type Progress = {
  /** Advances by one step; `note` shows beside the bar (e.g. the current req/s). */
  tick: (note?: string) => void;
  stop: () => void;
};

/** A progress bar on a terminal; one line at the start and one at the end otherwise (CI, pipes). */
export function progress(label: string, total: number): Progress {
  if (!process.stdout.isTTY) {
    const started = Date.now();
    console.log(`${label} …`);
    return {
      tick: () => {},
      stop: () => console.log(`${label}: done in ${((Date.now() - started) / 1000).toFixed(1)} s`),
    };
  }
  const bar = new cliProgress.SingleBar(
    {
      format: `${label.padEnd(28)} {bar} {value}/{total} {note}`,
      stream: process.stdout,
      hideCursor: true,
      clearOnComplete: false,
    },
    cliProgress.Presets.shades_classic,
  );
  bar.start(total, 0, { note: '' });
  let done = 0;
  return {
    // Sources may report once more at the very end (autocannon does); the bar stops at total.
    tick: (note = '') => {
      if (done < total) bar.increment(1, { note });
      done += 1;
    },
    stop: () => bar.stop(),
  };
}
