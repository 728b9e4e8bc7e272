import { describe, expect, it } from 'vitest';
import { filterEvents, type EventRow } from './filter';

const rows: EventRow[] = [
  { lastSeen: '10s', type: 'Normal', reason: 'Scheduled', object: 'pod/web-1', message: 'Successfully assigned default/web-1 to node-1', count: 1 },
  { lastSeen: '8s', type: 'Normal', reason: 'Pulled', object: 'pod/web-1', message: 'Container image "nginx:1.29" already present on machine', count: 1 },
  { lastSeen: '5s', type: 'Warning', reason: 'BackOff', object: 'pod/crash', message: 'Back-off restarting failed container app in pod crash_default', count: 4 },
  { lastSeen: '1s', type: 'Normal', reason: 'NodeNotReady', object: 'node/node-2', message: 'Node node-2 status is now: NodeNotReady', count: 1 },
];

describe('filterEvents', () => {
  it.each([
    ['', ['Scheduled', 'Pulled', 'BackOff', 'NodeNotReady']],
    ['warning', ['BackOff']],
    ['WEB-1', ['Scheduled', 'Pulled']],
    ['pod/web-1 !pulled', ['Scheduled']],
    ['type:normal node', ['Scheduled', 'NodeNotReady']],
    ['reason:back', ['BackOff']],
    ['object:node/', ['NodeNotReady']],
    ['nothing-matches', []],
  ])('%j', (q, reasons) => {
    expect(filterEvents(rows, q).map((r) => r.reason)).toEqual(reasons);
  });

  it('keeps order and does not mutate its input', () => {
    const copy = rows.slice();
    const out = filterEvents(rows, '');
    expect(out).toEqual(rows);
    expect(out).not.toBe(rows);
    expect(rows).toEqual(copy);
  });
});
