import { describe, expect, it } from 'vitest';
import { Code } from '../framework/status';
import { filterWith, makeNode, makePod, nodeInfo } from '../testing';
import { ERR_REASON, NodePorts } from './nodePorts';

type P = string; // 'PROTOCOL/IP/PORT', as the real test's newPod("m1", "UDP/127.0.0.1/8080")

function podWith(name: string, ...ports: P[]) {
  let b = makePod(name);
  for (const p of ports) {
    const [protocol, ip, port] = p.split('/');
    b = b.hostPort(Number(port), protocol, ip);
  }
  return b.build();
}

// Mirrors TestNodePorts in pkg/scheduler/framework/plugins/nodeports/node_ports_test.go.
describe('NodePorts Filter', () => {
  const cases: { name: string; pod: P[]; existing: P[]; fits: boolean }[] = [
    { name: 'nothing running', pod: [], existing: [], fits: true },
    { name: 'other port', pod: ['UDP/127.0.0.1/8080'], existing: ['UDP/127.0.0.1/9090'], fits: true },
    { name: 'same udp port', pod: ['UDP/127.0.0.1/8080'], existing: ['UDP/127.0.0.1/8080'], fits: false },
    { name: 'same tcp port', pod: ['TCP/127.0.0.1/8080'], existing: ['TCP/127.0.0.1/8080'], fits: false },
    { name: 'different host ip', pod: ['TCP/127.0.0.1/8080'], existing: ['TCP/127.0.0.2/8080'], fits: true },
    { name: 'different protocol', pod: ['UDP/127.0.0.1/8080'], existing: ['TCP/127.0.0.1/8080'], fits: true },
    { name: 'second udp port conflict', pod: ['UDP/127.0.0.1/8000', 'UDP/127.0.0.1/8080'], existing: ['UDP/127.0.0.1/8080'], fits: false },
    { name: 'first tcp port conflict', pod: ['TCP/127.0.0.1/8001', 'UDP/127.0.0.1/8080'], existing: ['TCP/127.0.0.1/8001', 'UDP/127.0.0.1/8081'], fits: false },
    { name: 'first tcp port conflict due to 0.0.0.0 hostIP', pod: ['TCP/0.0.0.0/8001'], existing: ['TCP/127.0.0.1/8001'], fits: false },
    { name: 'TCP hostPort conflict due to 0.0.0.0 hostIP', pod: ['TCP/10.0.10.10/8001', 'TCP/0.0.0.0/8001'], existing: ['TCP/127.0.0.1/8001'], fits: false },
    { name: 'second tcp port conflict to 0.0.0.0 hostIP', pod: ['TCP/127.0.0.1/8001'], existing: ['TCP/0.0.0.0/8001'], fits: false },
    { name: 'second different protocol', pod: ['UDP/127.0.0.1/8001'], existing: ['TCP/0.0.0.0/8001'], fits: true },
    { name: 'UDP hostPort conflict due to 0.0.0.0 hostIP', pod: ['UDP/127.0.0.1/8001'], existing: ['TCP/0.0.0.0/8001', 'UDP/0.0.0.0/8001'], fits: false },
  ];
  it.each(cases)('$name', ({ pod, existing, fits }) => {
    const info = nodeInfo(makeNode('n').build(), podWith('m2', ...existing));
    const s = filterWith(new NodePorts(), podWith('m1', ...pod), info);
    if (fits) expect(s).toBeNull();
    else {
      expect(s?.code).toBe(Code.Unschedulable);
      expect(s?.reasons).toEqual([ERR_REASON]);
    }
  });

  it('frees the port when the pod using it leaves the node', () => {
    const user = podWith('m2', 'TCP/0.0.0.0/80');
    const info = nodeInfo(makeNode('n').build(), user);
    expect(filterWith(new NodePorts(), podWith('m1', 'TCP/0.0.0.0/80'), info)).not.toBeNull();
    info.removePod([...info.pods.values()][0]);
    expect(filterWith(new NodePorts(), podWith('m1', 'TCP/0.0.0.0/80'), info)).toBeNull();
  });
});
