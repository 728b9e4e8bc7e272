/**
 * PodDisruptionBudgets through kubectl: bad manifests answered in the API's words (and nothing
 * stored), `kubectl create poddisruptionbudget`'s own checks, and the object it builds.
 */
import { describe, expect, it } from 'vitest';
import { KINDS, type Kind } from '../api/types';
import { Cluster } from '../cluster';
import { Kubectl, splitCommandLine } from './kubectl';

function setup() {
  const cluster = new Cluster({ seed: 3 });
  cluster.addNode('node-1');
  const k = new Kubectl(cluster);
  const snapshot = () => JSON.stringify([cluster.store.resourceVersion(), ...(Object.keys(KINDS) as Kind[]).filter((x) => x !== 'Lease' && x !== 'Event').map((x) => cluster.store.list(x))]);
  const run = (line: string, stdin?: string) => k.run(splitCommandLine(line), stdin);
  return { cluster, run, snapshot };
}

const manifest = (spec: string) => `apiVersion: policy/v1
kind: PodDisruptionBudget
metadata:
  name: bad
spec:
${spec}`;

const SPEC_PTR = (min: boolean, max: boolean, sel: boolean, policy = false) =>
  `policy.PodDisruptionBudgetSpec{MinAvailable:(*intstr.IntOrString)(${min ? '0xc000a1e2a0' : 'nil'}), Selector:(*v1.LabelSelector)(${sel ? '0xc000a1e2c0' : 'nil'}), `
  + `MaxUnavailable:(*intstr.IntOrString)(${max ? '0xc000a1e2e0' : 'nil'}), UnhealthyPodEvictionPolicy:(*policy.UnhealthyPodEvictionPolicyType)(${policy ? '0xc000a1e300' : 'nil'})}`;

const INVALID: [string, string, string][] = [
  ['both budgets set', '  minAvailable: 1\n  maxUnavailable: 1\n  selector:\n    matchLabels:\n      app: web\n',
    `The PodDisruptionBudget "bad" is invalid: spec: Invalid value: ${SPEC_PTR(true, true, true)}: minAvailable and maxUnavailable cannot be both set`],
  ['negative minAvailable', '  minAvailable: -1\n  selector:\n    matchLabels:\n      app: web\n',
    'The PodDisruptionBudget "bad" is invalid: spec.minAvailable: Invalid value: -1: must be greater than or equal to 0'],
  ['negative maxUnavailable', '  maxUnavailable: -2\n',
    'The PodDisruptionBudget "bad" is invalid: spec.maxUnavailable: Invalid value: -2: must be greater than or equal to 0'],
  ['a percent without %', '  maxUnavailable: "fifty"\n',
    "The PodDisruptionBudget \"bad\" is invalid: spec.maxUnavailable: Invalid value: fifty: a valid percent string must be a numeric string followed by an ending '%' (e.g. '1%',  or '93%', regex used for validation is '[0-9]+%')"],
  ['more than 100%', '  minAvailable: 120%\n',
    'The PodDisruptionBudget "bad" is invalid: spec.minAvailable: Invalid value: 120%: must not be greater than 100%'],
  ['a bad selector operator', '  minAvailable: 1\n  selector:\n    matchExpressions:\n    - key: app\n      operator: Equals\n      values: [web]\n',
    'The PodDisruptionBudget "bad" is invalid: spec.selector.matchExpressions[0].operator: Invalid value: "Equals": not a valid selector operator'],
  ['a bad selector label value', '  minAvailable: 1\n  selector:\n    matchLabels:\n      app: "-web"\n',
    "The PodDisruptionBudget \"bad\" is invalid: spec.selector.matchLabels: Invalid value: \"-web\": a valid label must be an empty string or consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character (e.g. 'MyValue',  or 'my_value',  or '12345', regex used for validation is '(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?')"],
  ['an unknown unhealthyPodEvictionPolicy', '  minAvailable: 1\n  unhealthyPodEvictionPolicy: Sometimes\n',
    'The PodDisruptionBudget "bad" is invalid: spec.unhealthyPodEvictionPolicy: Unsupported value: "Sometimes": supported values: "AlwaysAllow", "IfHealthyBudget"'],
  ['an unknown field', '  minAvailabel: 1\n',
    'Error from server (BadRequest): error when creating "STDIN": PodDisruptionBudget in version "v1" cannot be handled as a PodDisruptionBudget: strict decoding error: unknown field "spec.minAvailabel"'],
];

describe('invalid PodDisruptionBudgets are refused and change nothing', () => {
  it.each(INVALID)('%s', (_name, spec, message) => {
    const { run, snapshot } = setup();
    const before = snapshot();
    const r = run('apply -f -', manifest(spec));
    expect(r.exitCode).toBe(1);
    expect(r.stderr).toBe(`${message}\n`);
    expect(snapshot()).toBe(before);
  });

  it('both set with a policy and no selector prints the pointers it has', () => {
    const { run } = setup();
    const r = run('apply -f -', manifest('  minAvailable: 1\n  maxUnavailable: 10%\n  unhealthyPodEvictionPolicy: AlwaysAllow\n'));
    expect(r.stderr).toBe(`The PodDisruptionBudget "bad" is invalid: spec: Invalid value: ${SPEC_PTR(true, true, false, true)}: minAvailable and maxUnavailable cannot be both set\n`);
  });
});

describe('kubectl create poddisruptionbudget', () => {
  const ERRORS: [string, string][] = [
    ['create pdb', "error: exactly one NAME is required, got 0\nSee 'kubectl create poddisruptionbudget -h' for help and examples\n"],
    ['create pdb x --min-available=1', 'error: a selector must be specified\n'],
    ['create pdb x --selector=app=web', 'error: one of min-available or max-unavailable must be specified\n'],
    ['create pdb x --selector=app=web --min-available=1 --max-unavailable=1', 'error: min-available and max-unavailable cannot be both specified\n'],
    ['create pdb x --selector=app=web --min-available=-1', 'error: invalid format specified for min-available\n'],
    ['create pdb x --selector=app=web --max-unavailable=10Gb', 'error: invalid format specified for max-unavailable\n'],
    ['create pdb x --selector=app!=web --max-unavailable=1', 'error: "!=" is not a valid label selector operator\n'],
  ];
  it.each(ERRORS)('kubectl %s', (line, stderr) => {
    const { run, snapshot } = setup();
    const before = snapshot();
    const r = run(line);
    expect(r.exitCode).toBe(1);
    expect(r.stderr).toBe(stderr);
    expect(snapshot()).toBe(before);
  });

  it('builds the spec kubectl builds: ints stay ints, selectors split into labels and expressions', () => {
    const { run, cluster } = setup();
    expect(run('create pdb api --selector="tier in (front,back),app=api,!legacy" --max-unavailable=50% -n default').stdout).toBe('poddisruptionbudget.policy/api created\n');
    expect(run('create pdb web --selector=app=web --min-available=2').exitCode).toBe(0);
    expect(cluster.store.get('PodDisruptionBudget', 'default', 'api')!.spec).toEqual({
      maxUnavailable: '50%',
      selector: { matchLabels: { app: 'api' }, matchExpressions: [{ key: 'legacy', operator: 'DoesNotExist' }, { key: 'tier', operator: 'In', values: ['back', 'front'] }] },
    });
    const web = cluster.store.get('PodDisruptionBudget', 'default', 'web')!;
    expect(web.spec).toEqual({ minAvailable: 2, selector: { matchLabels: { app: 'web' } } });
    // The controller has already counted: no pods yet.
    expect(web.status).toMatchObject({ observedGeneration: 1, expectedPods: 0, disruptionsAllowed: 0 });
    expect(run('get pdb web -o name').stdout).toBe('poddisruptionbudget.policy/web\n');
    expect(run('delete pdb web').stdout).toBe('poddisruptionbudget.policy "web" deleted\n');
  });
});
