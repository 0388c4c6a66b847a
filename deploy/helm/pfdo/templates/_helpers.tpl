{{- define "pfdo.labels" -}}
app.kubernetes.io/part-of: pfdo
app.kubernetes.io/instance: {{ .Release.Name }}
pfdo.ru/region: {{ required "region is required: the installation's code (values-<region>.yaml)" .Values.region }}
{{- end -}}

{{- define "pfdo.serviceAccountName" -}}
{{- .Values.serviceAccount.name | default .Release.Name -}}
{{- end -}}

{{- define "pfdo.secretName" -}}
{{- required "secrets.name is required: the Secret with the database URLs, AMQP URL and keys" .Values.secrets.name -}}
{{- end -}}

{{/* How many processes share the connection budget: every pod that may run at once (replicas and the
     roll-out's surge) times its uvicorn workers. */}}
{{- define "pfdo.dbProcesses" -}}
{{- $n := 0 -}}
{{- range .Values.services }}{{ $n = add $n (mul (add .replicas $.Values.rollout.maxSurge) .workers) }}{{ end -}}
{{- $n -}}
{{- end -}}

{{/* The gateway's shared throttle store (a `limits` storage URI). */}}
{{- define "pfdo.rateLimitUrl" -}}
{{- if .Values.redis.enabled -}}
redis://{{ .Release.Name }}-redis:6379/0
{{- else -}}
{{- required "redis.url is required when redis.enabled is false: the gateways share their throttle through it" .Values.redis.url -}}
{{- end -}}
{{- end -}}

{{/* Pod annotations: a changed rules ConfigMap or Secret changes the pod template, so the pods roll.
     The Secret is not the chart's: its data is read from the cluster at install/upgrade (`lookup`;
     empty under `helm template`). */}}
{{- define "pfdo.checksums" -}}
checksum/rules: {{ include (print .Template.BasePath "/rules-configmap.yaml") . | sha256sum }}
checksum/secret: {{ (lookup "v1" "Secret" .Release.Namespace (include "pfdo.secretName" .)).data | toJson | sha256sum }}
{{- end -}}

{{/* The "restricted" Pod Security Standard, pod level. */}}
{{- define "pfdo.podSecurityContext" -}}
runAsNonRoot: true
runAsUser: {{ .uid | default 10001 }}
runAsGroup: {{ .uid | default 10001 }}
fsGroup: {{ .uid | default 10001 }}
seccompProfile: {type: RuntimeDefault}
{{- end -}}

{{/* ... and container level: nothing gained, nothing written outside the emptyDirs. */}}
{{- define "pfdo.containerSecurityContext" -}}
allowPrivilegeEscalation: false
readOnlyRootFilesystem: true
privileged: false
capabilities: {drop: [ALL]}
{{- end -}}

{{/* Writable places of a read-only container: /tmp, and the Prometheus multiprocess directory
     (PROMETHEUS_MULTIPROC_DIR: each worker's metric files, summed at a scrape; new with the pod). */}}
{{- define "pfdo.volumes" -}}
- {name: tmp, emptyDir: {sizeLimit: 256Mi}}
- {name: metrics, emptyDir: {medium: Memory, sizeLimit: 64Mi}}
{{- end -}}
{{- define "pfdo.volumeMounts" -}}
- {name: tmp, mountPath: /tmp}
- {name: metrics, mountPath: /var/run/pfdo-metrics}
{{- end -}}

{{/* What every process and the migration need: its prefix's secrets and the region's code. */}}
{{- define "pfdo.baseEnv" -}}
{{- $prefix := upper .name -}}
{{- $secret := include "pfdo.secretName" .root -}}
- name: {{ $prefix }}_DATABASE_URL
  valueFrom: {secretKeyRef: {name: {{ $secret }}, key: {{ $prefix }}_DATABASE_URL}}
- name: {{ $prefix }}_AMQP_URL
  valueFrom: {secretKeyRef: {name: {{ $secret }}, key: AMQP_URL}}
- name: {{ $prefix }}_JWT_PUBLIC_KEYS
  valueFrom: {secretKeyRef: {name: {{ $secret }}, key: JWT_PUBLIC_KEYS}}
- name: {{ $prefix }}_DISTRICT
  value: {{ required "region is required" .root.Values.region | quote }}
{{- if eq .name "gateway" }}
- name: GATEWAY_SIGNING_KEY_PEM
  valueFrom: {secretKeyRef: {name: {{ $secret }}, key: GATEWAY_SIGNING_KEY_PEM}}
{{- end }}
{{- end -}}

{{/* A serving process's environment: the above, where it listens, its pool, whom it believes, where the
     others answer. */}}
{{- define "pfdo.env" -}}
{{- $prefix := upper .name -}}
{{- $secret := include "pfdo.secretName" .root -}}
{{ include "pfdo.baseEnv" . }}
- name: {{ $prefix }}_HOST
  value: "0.0.0.0"
- name: {{ $prefix }}_PORT
  value: {{ .svc.port | quote }}
- name: PFDO_DB_CONNECTION_BUDGET
  value: {{ .root.Values.database.connectionBudget | quote }}
- name: PFDO_DB_PROCESSES
  value: {{ include "pfdo.dbProcesses" .root | quote }}
{{ include "pfdo.processEnv" (dict "root" .root "name" .name) }}
{{- range $other, $o := .root.Values.services }}
- name: {{ $prefix }}_{{ upper $other }}_URL
  value: "http://{{ $.root.Release.Name }}-{{ $other }}:{{ $o.port }}"
{{- end }}
{{- if eq .name "gateway" }}
- name: GATEWAY_RATE_LIMIT_STORAGE_URL
  value: {{ include "pfdo.rateLimitUrl" .root | quote }}
{{- end }}
{{- if eq .name "notifications" }}
{{- $mail := .root.Values.mail }}
- name: NOTIFICATIONS_SMTP_HOST
  value: {{ $mail.smtpHost | quote }}
- name: NOTIFICATIONS_SMTP_PORT
  value: {{ $mail.smtpPort | quote }}
- name: NOTIFICATIONS_SMTP_TLS
  value: {{ $mail.smtpTls | quote }}
- name: NOTIFICATIONS_SMTP_USERNAME
  value: {{ $mail.smtpUsername | quote }}
- name: NOTIFICATIONS_SMTP_PASSWORD
  valueFrom: {secretKeyRef: {name: {{ $secret }}, key: SMTP_PASSWORD, optional: true}}
- name: NOTIFICATIONS_MAIL_FROM_ADDRESS
  value: {{ $mail.fromAddress | quote }}
- name: NOTIFICATIONS_MAIL_FROM_NAME
  value: {{ $mail.fromName | quote }}
- name: NOTIFICATIONS_PUBLIC_BASE_URL
  value: "https://{{ required "ingress.host is required" .root.Values.ingress.host }}"
{{- end }}
{{- end -}}

{{/* Every serving process, the Navigator too: whose X-Forwarded-For it believes, metrics across workers, traces. */}}
{{- define "pfdo.processEnv" -}}
- name: {{ upper .name }}_TRUSTED_PROXIES
  value: {{ .root.Values.trustedProxies | toJson | quote }}
- name: PROMETHEUS_MULTIPROC_DIR
  value: /var/run/pfdo-metrics
- name: OTEL_SERVICE_NAME
  value: {{ .name | quote }}
{{- with .root.Values.observability.otlpEndpoint }}
- name: OTEL_EXPORTER_OTLP_ENDPOINT
  value: {{ . | quote }}
{{- end }}
{{- end -}}
