import { describe, expect, it } from 'vitest';
import { causesOfInvalid, fieldPathOfCause, invalidCauseLines, lineOfPath, parseFieldPath, parseManifests } from './manifest';

const POD = `apiVersion: v1
kind: Pod
metadata:
  name: web
spec:
  containers:
  - name: web
    image: nginx:1.27
`;

const STOP = '; if you choose to ignore these errors, turn validation off with --validate=false';
const YAML_ERR = 'error: error parsing pod.yaml: error converting YAML to JSON: yaml: ';

describe('parseManifests: client-side errors in kubectl words', () => {
  const table: { name: string; text: string; message: string; line: number }[] = [
    {
      name: 'a second colon on a line (scanner error, 1-based line)',
      text: 'apiVersion: v1\nkind: Pod\nmetadata:\n  name: web: x\n',
      message: `${YAML_ERR}line 4: mapping values are not allowed in this context`,
      line: 4,
    },
    {
      name: 'a tab used as indentation',
      text: 'apiVersion: v1\nkind: Pod\nmetadata:\n\tname: web\n',
      message: `${YAML_ERR}line 4: found character that cannot start any token`,
      line: 4,
    },
    {
      name: 'a key dedented by one space (parser error: go-yaml v2 reports the 0-based line)',
      text: 'apiVersion: v1\nkind: Pod\nmetadata:\n  name: x\n labels: {}\n',
      message: `${YAML_ERR}line 4: did not find expected key`,
      line: 5,
    },
    {
      name: 'a key indented too far under a list item',
      text: 'apiVersion: v1\nkind: Pod\nspec:\n  containers:\n  - name: a\n     image: b\n',
      message: `${YAML_ERR}line 6: mapping values are not allowed in this context`,
      line: 6,
    },
    {
      name: 'a missing colon',
      text: 'apiVersion: v1\nkind Pod\nmetadata: {}\n',
      message: `${YAML_ERR}line 3: could not find expected ':'`,
      line: 3,
    },
    {
      name: 'an unclosed quote',
      text: 'metadata:\n  name: "web\nspec: {}\n',
      message: `${YAML_ERR}line 4: found unexpected end of stream`,
      line: 4,
    },
    {
      name: 'an unclosed flow sequence on the first line (no line number, as go-yaml prints it)',
      text: '{a: 1, b: [1, 2}\n',
      message: `${YAML_ERR}did not find expected ',' or ']'`,
      line: 1,
    },
    {
      name: 'missing apiVersion and kind',
      text: 'metadata:\n  name: web\n',
      message: `error: error validating "pod.yaml": error validating data: [apiVersion not set, kind not set]${STOP}`,
      line: 1,
    },
    {
      name: 'missing kind only (a single error prints without brackets)',
      text: 'apiVersion: v1\nmetadata:\n  name: web\n',
      message: `error: error validating "pod.yaml": error validating data: kind not set${STOP}`,
      line: 1,
    },
    {
      name: 'a document that is not a map',
      text: '- a\n- b\n',
      message: `error: error validating "pod.yaml": error validating data: invalid object to validate${STOP}`,
      line: 1,
    },
    {
      name: 'an unknown kind',
      text: 'apiVersion: v1\nkind: Foo\nmetadata:\n  name: x\n',
      message: 'error: resource mapping not found for name: "x" namespace: "" from "pod.yaml": no matches for kind "Foo" in version "v1"\nensure CRDs are installed first',
      line: 1,
    },
    {
      name: 'a known kind in the wrong group/version',
      text: 'apiVersion: apps/v1beta1\nkind: Deployment\nmetadata:\n  name: web\n  namespace: prod\n',
      message: 'error: resource mapping not found for name: "web" namespace: "prod" from "pod.yaml": no matches for kind "Deployment" in version "apps/v1beta1"\nensure CRDs are installed first',
      line: 1,
    },
    {
      name: 'text after a document separator',
      text: 'apiVersion: v1\nkind: Namespace\nmetadata: {name: a}\n--- x\n',
      message: 'error: error parsing pod.yaml: invalid Yaml document separator: x',
      line: 4,
    },
  ];
  it.each(table)('$name', ({ text, message, line }) => {
    const { errors, documents } = parseManifests(text, 'pod.yaml');
    expect(documents).toEqual([]);
    expect(errors).toEqual([{ message, line }]);
  });

  it('uses STDIN as the source when no file name is given', () => {
    expect(parseManifests('kind: Pod\n').errors[0].message).toBe(
      `error: error validating "STDIN": error validating data: apiVersion not set${STOP}`,
    );
  });
});

describe('parseManifests: strict decoding (the server says it on create)', () => {
  const head = 'Error from server (BadRequest): error when creating "pod.yaml": ';
  const table: { name: string; text: string; decodeError: string }[] = [
    {
      name: 'a misspelt container field',
      text: POD + '    imagePullPolicyy: Always\n',
      decodeError: `${head}Pod in version "v1" cannot be handled as a Pod: strict decoding error: unknown field "spec.containers[0].imagePullPolicyy"`,
    },
    {
      name: 'several unknown fields, in document order',
      text: POD + '    foo: 1\n  bar: 2\n',
      decodeError: `${head}Pod in version "v1" cannot be handled as a Pod: strict decoding error: unknown field "spec.containers[0].foo", unknown field "spec.bar"`,
    },
    {
      name: 'a string where an int32 is wanted',
      text: 'apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: web\nspec:\n  replicas: "3"\n',
      decodeError: `${head}Deployment in version "v1" cannot be handled as a Deployment: json: cannot unmarshal string into Go struct field DeploymentSpec.spec.replicas of type int32`,
    },
    {
      name: 'a fractional number where an int32 is wanted',
      text: 'apiVersion: apps/v1\nkind: ReplicaSet\nmetadata:\n  name: web\nspec:\n  replicas: 1.5\n',
      decodeError: `${head}ReplicaSet in version "v1" cannot be handled as a ReplicaSet: json: cannot unmarshal number 1.5 into Go struct field ReplicaSetSpec.spec.replicas of type int32`,
    },
    {
      name: 'a quoted port number (JSON input)',
      text: '{"apiVersion": "v1", "kind": "Pod", "metadata": {"name": "j"}, "spec": {"containers": [{"name": "a", "image": "nginx", "ports": [{"containerPort": "80"}]}]}}',
      decodeError: `${head}Pod in version "v1" cannot be handled as a Pod: json: cannot unmarshal string into Go struct field ContainerPort.spec.containers.ports.containerPort of type int32`,
    },
    {
      name: 'YAML 1.1 `yes` is a boolean, not a string',
      text: POD + '    env:\n    - name: DEBUG\n      value: yes\n',
      decodeError: `${head}Pod in version "v1" cannot be handled as a Pod: json: cannot unmarshal bool into Go struct field EnvVar.spec.containers.env.value of type string`,
    },
    {
      name: 'a number as a label value',
      text: 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: c\n  labels:\n    version: 1.0\n',
      decodeError: `${head}ConfigMap in version "v1" cannot be handled as a ConfigMap: json: cannot unmarshal number into Go struct field ObjectMeta.metadata.labels of type string`,
    },
    {
      name: 'a list where an object is wanted',
      text: 'apiVersion: v1\nkind: Pod\nmetadata:\n  name: web\nspec: []\n',
      decodeError: `${head}Pod in version "v1" cannot be handled as a Pod: json: cannot unmarshal array into Go struct field Pod.spec of type v1.PodSpec`,
    },
    {
      name: 'a malformed quantity',
      text: POD + '    resources:\n      limits:\n        cpu: lots\n',
      decodeError: `${head}Pod in version "v1" cannot be handled as a Pod: quantities must match the regular expression '^([+-]?[0-9.]+)([eEinumkKMGTP]*[-+]?[0-9]*)$'`,
    },
  ];
  it.each(table)('$name', ({ text, decodeError }) => {
    const { errors, documents } = parseManifests(text, 'pod.yaml');
    expect(errors).toEqual([]);
    expect(documents).toHaveLength(1);
    expect(documents[0].decodeError).toBe(decodeError);
  });

  it('accepts the output of `kubectl create --dry-run=client -o yaml` (nulls, empty status)', () => {
    const text = `apiVersion: apps/v1
kind: Deployment
metadata:
  creationTimestamp: null
  labels:
    app: web
  name: web
spec:
  replicas: 1
  selector:
    matchLabels:
      app: web
  strategy: {}
  template:
    metadata:
      creationTimestamp: null
      labels:
        app: web
    spec:
      containers:
      - image: nginx
        name: nginx
        resources: {}
status: {}
`;
    const { errors, documents } = parseManifests(text, 'd.yaml');
    expect(errors).toEqual([]);
    expect(documents[0].decodeError).toBeUndefined();
    expect(documents[0].object.metadata).toEqual({ labels: { app: 'web' }, name: 'web' });
  });

  it('accepts every field of a full Pod without complaint', () => {
    const text = `apiVersion: v1
kind: Pod
metadata:
  name: full
  namespace: default
  labels: {app: full}
  annotations: {note: "x"}
spec:
  restartPolicy: OnFailure
  terminationGracePeriodSeconds: 10
  nodeSelector: {disk: ssd}
  tolerations:
  - {key: k, operator: Equal, value: v, effect: NoExecute, tolerationSeconds: 60}
  affinity: {nodeAffinity: {requiredDuringSchedulingIgnoredDuringExecution: {nodeSelectorTerms: []}}}
  volumes:
  - name: data
    emptyDir: {sizeLimit: 1Gi}
  - name: cfg
    configMap: {name: cfg, items: [{key: a, path: a}]}
  initContainers:
  - name: init
    image: busybox
    command: [sh, -c, "true"]
  containers:
  - name: app
    image: nginx:1.27
    ports: [{containerPort: 80, name: http, protocol: TCP}]
    env:
    - name: POD
      valueFrom: {fieldRef: {fieldPath: metadata.name}}
    envFrom: [{configMapRef: {name: cfg}}]
    resources: {requests: {cpu: 100m, memory: 64Mi}, limits: {cpu: 1, memory: 128Mi}}
    volumeMounts: [{name: data, mountPath: /data, readOnly: true}]
    livenessProbe: {httpGet: {path: /, port: http}, initialDelaySeconds: 3}
    readinessProbe: {tcpSocket: {port: 80}}
    startupProbe: {exec: {command: [cat, /ok]}, failureThreshold: 30}
    lifecycle: {preStop: {sleep: {seconds: 5}}}
    securityContext: {runAsUser: 1000}
`;
    const { errors, documents } = parseManifests(text, 'full.yaml');
    expect(errors).toEqual([]);
    expect(documents[0].decodeError).toBeUndefined();
  });
});

describe('parseManifests: good input', () => {
  it('reads KYAML (flow style, quoted strings, trailing commas)', () => {
    const text = `---
{
  apiVersion: "v1",
  kind: "Pod",
  metadata: {
    name: "kyaml",
    labels: {
      app: "web",
    },
  },
  spec: {
    containers: [{
      name: "web",
      image: "nginx",
    }],
  },
}
`;
    const { errors, documents } = parseManifests(text, 'k.yaml');
    expect(errors).toEqual([]);
    expect(documents).toHaveLength(1);
    expect(documents[0].line).toBe(2);
    expect(documents[0].decodeError).toBeUndefined();
    expect(documents[0].object).toEqual({
      apiVersion: 'v1',
      kind: 'Pod',
      metadata: { name: 'kyaml', labels: { app: 'web' } },
      spec: { containers: [{ name: 'web', image: 'nginx' }] },
    });
  });

  it('reads a multi-document file with each document’s start line, skipping empty and comment-only ones', () => {
    const text = `# a comment first
apiVersion: v1
kind: Namespace
metadata:
  name: shop
---
# only a comment
---

---
apiVersion: v1
kind: ConfigMap
metadata:
  name: settings
  namespace: shop
data:
  mode: fast
--- # separator with a comment
${POD}`;
    const { errors, documents } = parseManifests(text, 'all.yaml');
    expect(errors).toEqual([]);
    expect(documents.map((d) => [d.object.kind, d.object.metadata?.name, d.line])).toEqual([
      ['Namespace', 'shop', 2],
      ['ConfigMap', 'settings', 11],
      ['Pod', 'web', 19],
    ]);
  });

  it('expands a List into its items, with their lines', () => {
    const text = `apiVersion: v1
kind: List
items:
- apiVersion: v1
  kind: ConfigMap
  metadata:
    name: a
- apiVersion: v1
  kind: ConfigMap
  metadata:
    name: b
`;
    const { errors, documents } = parseManifests(text);
    expect(errors).toEqual([]);
    expect(documents.map((d) => [d.object.metadata?.name, d.line])).toEqual([['a', 4], ['b', 8]]);
    expect(documents[1].lineOf('metadata.name')).toBe(11);
  });

  it('keeps the documents before an error, and reports a YAML error at its line in the whole file', () => {
    const text = `apiVersion: v1
kind: Namespace
metadata:
  name: a
---
apiVersion: v1
kind: Pod
metadata:
  name: web: x
---
apiVersion: v1
kind: Namespace
metadata:
  name: never-read
`;
    const { errors, documents } = parseManifests(text, 'pod.yaml');
    expect(documents.map((d) => d.object.metadata?.name)).toEqual(['a']);
    // kubectl numbers lines within the document; the editor line counts from the top of the file.
    expect(errors).toEqual([{ message: `${YAML_ERR}line 4: mapping values are not allowed in this context`, line: 9 }]);
  });

  it('goes on after an unknown kind, as kubectl does', () => {
    const text = 'apiVersion: v1\nkind: Foo\nmetadata: {name: x}\n---\n' + POD;
    const { errors, documents } = parseManifests(text, 'pod.yaml');
    expect(errors).toHaveLength(1);
    expect(errors[0].line).toBe(1);
    expect(documents.map((d) => d.object.metadata?.name)).toEqual(['web']);
  });

  it('handles CRLF line endings', () => {
    const { errors, documents } = parseManifests(POD.replace(/\n/g, '\r\n'), 'pod.yaml');
    expect(errors).toEqual([]);
    expect(documents[0].object.metadata?.name).toBe('web');
  });
});

describe('field paths to lines', () => {
  const text = `apiVersion: v1
kind: Namespace
metadata:
  name: a
---
apiVersion: apps/v1
kind: Deployment
metadata:
  name: web
spec:
  replicas: -1
  template:
    spec:
      containers:
      - name: web
        image: nginx
      - name: sidecar
        image: ""
`;
  it.each([
    [1, 'spec.replicas', 11],
    [1, 'spec.template.spec.containers[1].image', 18],
    [1, 'spec.template.spec.containers[1]', 17],
    [1, 'spec.selector', 10], // missing: the nearest existing parent
    [1, 'metadata.name', 9],
    [0, 'metadata.name', 4],
  ])('document %i, %s → line %i', (doc, path, line) => {
    expect(lineOfPath(text, doc, path)).toBe(line);
  });

  it('splits a path into keys, indices and map keys', () => {
    expect(parseFieldPath('spec.containers[0].resources.limits[cpu]')).toEqual(['spec', 'containers', 0, 'resources', 'limits', 'cpu']);
  });

  it('takes the path from a validation cause', () => {
    expect(fieldPathOfCause('spec.replicas: Invalid value: -1: must be greater than or equal to 0')).toBe('spec.replicas');
  });

  it('is undefined for a document that does not exist', () => {
    expect(lineOfPath(text, 5, 'spec')).toBeUndefined();
  });
});

describe('server validation errors to editor lines', () => {
  const text = `apiVersion: apps/v1
kind: Deployment
metadata:
  name: web
spec:
  replicas: -1
  selector:
    matchLabels: {app: web}
  template:
    metadata:
      labels: {app: api}
    spec:
      containers:
      - name: web
        image: nginx
`;
  it('splits the causes and finds each field', () => {
    const message =
      'The Deployment "web" is invalid: [spec.replicas: Invalid value: -1: must be greater than or equal to 0, spec.template.metadata.labels: Invalid value: map[string]string{"app":"api"}: `selector` does not match template `labels`]';
    expect(invalidCauseLines(text, 0, message)).toEqual([
      { message: 'spec.replicas: Invalid value: -1: must be greater than or equal to 0', line: 6 },
      { message: 'spec.template.metadata.labels: Invalid value: map[string]string{"app":"api"}: `selector` does not match template `labels`', line: 11 },
    ]);
  });

  it('handles a single cause and other messages', () => {
    expect(causesOfInvalid('The Pod "x" is invalid: spec.containers: Required value')).toEqual(['spec.containers: Required value']);
    expect(causesOfInvalid('Error from server (NotFound): pods "x" not found')).toBeUndefined();
  });
});
