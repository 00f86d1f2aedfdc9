/**
 * A scheduled step found nothing left to do (another instance did it, or it is no longer due). Thrown
 * inside the command, it rolls the step back, so nothing is written and no audit row either; the
 * job skips it.
 */
export class NothingToDo extends Error {
  override readonly name = 'NothingToDo';
}
