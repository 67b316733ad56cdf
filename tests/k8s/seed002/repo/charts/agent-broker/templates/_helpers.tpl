{{- define "agent-broker.fullname" -}}
{{- printf "%s-%s" .Release.Name .Chart.Name | trunc 63 | trimSuffix "-" }}
{{- end }}

{{- define "agent-broker.agent.home" -}}
{{- if eq .Values.agent.preset "default" }}/home/agent{{ else }}/home/node{{ end }}
{{- end }}
