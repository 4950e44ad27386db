{{/*
Labels. The names of the objects are fixed (netdiag-operator): the CRD, the ClusterRole
and the lab scripts name them, so there is one release per cluster. No helm.sh/chart or
managed-by labels: deploy/ is this chart's default render and is applied with kubectl.
*/}}

{{/* Selects the operator pods: the Deployment's selector (immutable), the PDB, the Service. */}}
{{- define "netdiag.selectorLabels" -}}
app.kubernetes.io/name: netdiag
app.kubernetes.io/component: operator
{{- end }}

{{- define "netdiag.labels" -}}
{{ include "netdiag.selectorLabels" . }}
app.kubernetes.io/instance: {{ .Release.Name }}
app.kubernetes.io/version: {{ .Chart.AppVersion | quote }}
{{- end }}
