/** A manifest offered in the YAML editor's Examples menu. */
export interface YamlExample {
  id: string;
  label: string;
  text: string;
}

/** Starter manifests, each a real, valid Kubernetes v1.34 object the simulator understands. */
export const YAML_EXAMPLES: readonly YamlExample[] = [
  {
    id: 'deployment',
    label: 'Deployment (3 nginx replicas)',
    text: `apiVersion: apps/v1
kind: Deployment
metadata:
  name: web
  labels:
    app: web
spec:
  replicas: 3
  selector:
    matchLabels:
      app: web
  template:
    metadata:
      labels:
        app: web
    spec:
      containers:
      - name: nginx
        image: nginx:1.29
        ports:
        - containerPort: 80
        resources:
          requests:
            cpu: 250m
            memory: 64Mi
`,
  },
  {
    id: 'pod',
    label: 'A bare Pod',
    text: `apiVersion: v1
kind: Pod
metadata:
  name: hello
  labels:
    app: hello
spec:
  containers:
  - name: hello
    image: busybox:1.36
    command: ["sh", "-c", "echo Hello from the pod; sleep 3600"]
`,
  },
  {
    id: 'init-sidecar',
    label: 'Init container + sidecar + shared emptyDir',
    text: `apiVersion: v1
kind: Pod
metadata:
  name: web-with-sidecar
spec:
  initContainers:
  # Runs to completion before anything else starts.
  - name: prepare
    image: busybox:1.36
    command: ["sh", "-c", "echo '<h1>prepared by init</h1>' > /work/index.html"]
    volumeMounts:
    - name: shared
      mountPath: /work
  # A native sidecar (restartPolicy: Always): starts before the app and keeps running.
  - name: log-shipper
    image: busybox:1.36
    restartPolicy: Always
    command: ["sh", "-c", "tail -F /work/access.log"]
    volumeMounts:
    - name: shared
      mountPath: /work
  containers:
  - name: web
    image: nginx:1.29
    ports:
    - containerPort: 80
    volumeMounts:
    - name: shared
      mountPath: /usr/share/nginx/html
  volumes:
  - name: shared
    emptyDir: {}
`,
  },
  {
    id: 'liveness',
    label: 'Liveness probe (kubernetes.io liveness-exec)',
    text: `apiVersion: v1
kind: Pod
metadata:
  labels:
    test: liveness
  name: liveness-exec
spec:
  containers:
  - name: liveness
    image: registry.k8s.io/busybox:1.27.2
    args:
    - /bin/sh
    - -c
    - touch /tmp/healthy; sleep 30; rm -f /tmp/healthy; sleep 600
    livenessProbe:
      exec:
        command:
        - cat
        - /tmp/healthy
      initialDelaySeconds: 5
      periodSeconds: 5
`,
  },
  {
    id: 'kyaml',
    label: 'KYAML (kubectl -o kyaml style)',
    text: `# KYAML: the strict, flow-style YAML subset kubectl v1.34 can print (-o kyaml).
# Quoted strings, braces and brackets: no indentation traps, still valid YAML.
{
  apiVersion: "v1",
  kind: "Pod",
  metadata: {
    name: "kyaml-demo",
    labels: {
      app: "kyaml-demo",
    },
  },
  spec: {
    containers: [{
      name: "app",
      image: "nginx:1.29",
      ports: [{
        containerPort: 80,
      }],
    }],
  },
}
`,
  },
];
