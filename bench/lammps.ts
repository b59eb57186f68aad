/** LAMMPS for the side-by-side benchmarks: the executable on the PATH, if any. */
import { execFileSync } from 'child_process';

/** The first of lmp, lmp_serial, lmp_stable on the PATH, or undefined. */
export function lammpsExecutable(): string | undefined {
  return ['lmp', 'lmp_serial', 'lmp_stable'].find((exe) => {
    try {
      execFileSync('which', [exe], { stdio: 'ignore' });
      return true;
    } catch {
      return false;
    }
  });
}
