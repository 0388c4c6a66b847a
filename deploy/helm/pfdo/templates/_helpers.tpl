{{- define "pfdo.labels" -}}
app.kubernetes.io/part-of: pfdo
app.kubernetes.io/instance: {{ .Release.Name }}
pfdo.ru/region: {{ .Values.region }}
{{- end -}}

{{/* Environment every process gets: its prefix's variables from the shared secret, the region's code. */}}
{{- define "pfdo.env" -}}
{{- $prefix := upper .name -}}
- name: {{ $prefix }}_DATABASE_URL
  valueFrom: {secretKeyRef: {name: {{ .root.Values.secrets.name }}, key: {{ $prefix }}_DATABASE_URL}}
- name: {{ $prefix }}_AMQP_URL
  valueFrom: {secretKeyRef: {name: {{ .root.Values.secrets.name }}, key: AMQP_URL}}
- name: {{ $prefix }}_JWT_PUBLIC_KEYS
  valueFrom: {secretKeyRef: {name: {{ .root.Values.secrets.name }}, key: JWT_PUBLIC_KEYS}}
- name: {{ $prefix }}_DISTRICT
  value: {{ .root.Values.region | quote }}
- name: {{ $prefix }}_HOST
  value: "0.0.0.0"
- name: {{ $prefix }}_PORT
  value: {{ .svc.port | quote }}
{{- range $other, $o := .root.Values.services }}
- name: {{ $prefix }}_{{ upper $other }}_URL
  value: "http://{{ $.root.Release.Name }}-{{ $other }}:{{ $o.port }}"
{{- end }}
{{- if eq .name "gateway" }}
- name: GATEWAY_SIGNING_KEY_PEM
  valueFrom: {secretKeyRef: {name: {{ .root.Values.secrets.name }}, key: GATEWAY_SIGNING_KEY_PEM}}
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
  valueFrom: {secretKeyRef: {name: {{ .root.Values.secrets.name }}, key: SMTP_PASSWORD, optional: true}}
- name: NOTIFICATIONS_MAIL_FROM_ADDRESS
  value: {{ $mail.fromAddress | quote }}
- name: NOTIFICATIONS_MAIL_FROM_NAME
  value: {{ $mail.fromName | quote }}
- name: NOTIFICATIONS_PUBLIC_BASE_URL
  value: "https://{{ .root.Values.ingress.host }}"
{{- end }}
{{- end -}}
