/**
 * The port the pager asks "who is on call?": implemented by the schedule service
 * (app.schedules). `[]` in a gap, `undefined` when there is no such schedule.
 */
export interface OnCallLookup {
  onCallAt(scheduleId: string, at: Date): Promise<readonly string[] | undefined>; // [] in a gap, undefined = no such schedule
  everyoneOn(scheduleId: string): Promise<readonly string[] | undefined>;
}
