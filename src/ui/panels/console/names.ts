/** Object names the console can offer, by kind (the caller fills these from its state). */
export interface NameSource {
  pods?: readonly string[];
  nodes?: readonly string[];
  deployments?: readonly string[];
  replicasets?: readonly string[];
  services?: readonly string[];
  namespaces?: readonly string[];
}

const TYPE_TO_SOURCE: Record<string, keyof NameSource> = {
  pod: 'pods', pods: 'pods', po: 'pods',
  node: 'nodes', nodes: 'nodes', no: 'nodes',
  deployment: 'deployments', deployments: 'deployments', deploy: 'deployments',
  replicaset: 'replicasets', replicasets: 'replicasets', rs: 'replicasets',
  service: 'services', services: 'services', svc: 'services',
  namespace: 'namespaces', namespaces: 'namespaces', ns: 'namespaces',
};

/**
 * The names that fit the word being typed on `line`: after a resource type, names of that type
 * (`kubectl get pods <Tab>`); after `logs`/`exec`, pods; after `cordon`/`drain`/`sim kill-node`,
 * nodes; `type/` prefixes (`deployment/we<Tab>`) complete to `type/name`; after `-n`, namespaces.
 * A ready-made `completions` prop for {@link Console}.
 */
export function namesForLine(line: string, src: NameSource): string[] {
  const words = line.trimStart().split(/\s+/);
  const current = words.pop() ?? '';
  const prev = words[words.length - 1];
  const [cmd, verb] = words.filter((w) => !w.startsWith('-'));
  const pick = (k: keyof NameSource) => [...(src[k] ?? [])];
  if (prev === '-n' || prev === '--namespace') return pick('namespaces');
  const slash = current.indexOf('/');
  if (slash > 0) {
    const type = current.slice(0, slash);
    const k = TYPE_TO_SOURCE[type];
    return k ? pick(k).map((n) => `${type}/${n}`) : [];
  }
  if (cmd === 'sim') return ['kill-node', 'start-node', 'partition-node', 'heal-node'].includes(verb) ? pick('nodes') : [];
  if (cmd !== 'kubectl' && cmd !== 'k') return [];
  if (verb === 'logs' || verb === 'exec') return pick('pods');
  if (verb === 'cordon' || verb === 'uncordon' || verb === 'drain' || verb === 'taint') return pick('nodes');
  const positional = words.filter((w) => !w.startsWith('-')).slice(2);
  const type = positional[0];
  if (type && TYPE_TO_SOURCE[type]) return pick(TYPE_TO_SOURCE[type]);
  return [];
}
