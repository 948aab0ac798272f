{{/* Chart name. */}}
{{- define "orchestrator.name" -}}
{{- default .Chart.Name .Values.nameOverride | trunc 63 | trimSuffix "-" -}}
{{- end -}}

{{/* Full name: RELEASE-orchestrator unless overridden. */}}
{{- define "orchestrator.fullname" -}}
{{- if .Values.fullnameOverride -}}
{{- .Values.fullnameOverride | trunc 63 | trimSuffix "-" -}}
{{- else -}}
{{- $name := default .Chart.Name .Values.nameOverride -}}
{{- if contains $name .Release.Name -}}
{{- .Release.Name | trunc 63 | trimSuffix "-" -}}
{{- else -}}
{{- printf "%s-%s" .Release.Name $name | trunc 63 | trimSuffix "-" -}}
{{- end -}}
{{- end -}}
{{- end -}}

{{/* Labels on every object. */}}
{{- define "orchestrator.labels" -}}
helm.sh/chart: {{ printf "%s-%s" .Chart.Name .Chart.Version | replace "+" "_" }}
app.kubernetes.io/name: {{ include "orchestrator.name" . }}
app.kubernetes.io/instance: {{ .Release.Name }}
app.kubernetes.io/version: {{ .Chart.AppVersion | quote }}
app.kubernetes.io/managed-by: {{ .Release.Service }}
app.kubernetes.io/part-of: orchestrator
{{- end -}}

{{/* Selector of one component (silo, redis). */}}
{{- define "orchestrator.selectorLabels" -}}
app.kubernetes.io/name: {{ include "orchestrator.name" .root }}
app.kubernetes.io/instance: {{ .root.Release.Name }}
app.kubernetes.io/component: {{ .component }}
{{- end -}}

{{- define "orchestrator.serviceAccountName" -}}
{{- if .Values.serviceAccount.create -}}
{{- default (include "orchestrator.fullname" .) .Values.serviceAccount.name -}}
{{- else -}}
{{- default "default" .Values.serviceAccount.name -}}
{{- end -}}
{{- end -}}

{{/* Namespace of job pods. */}}
{{- define "orchestrator.jobsNamespace" -}}
{{- default .Release.Namespace .Values.jobs.namespace -}}
{{- end -}}

{{- define "orchestrator.checkpointClaim" -}}
{{- default (printf "%s-checkpoints" (include "orchestrator.fullname" .)) .Values.checkpoints.existingClaim -}}
{{- end -}}

{{- define "orchestrator.redisSecret" -}}
{{- if .Values.redis.enabled -}}
{{- printf "%s-redis" (include "orchestrator.fullname" .) -}}
{{- else -}}
{{- .Values.redis.external.existingSecret -}}
{{- end -}}
{{- end -}}

{{- define "orchestrator.redisSecretKey" -}}
{{- if .Values.redis.enabled -}}connection-string{{- else -}}{{ .Values.redis.external.secretKey }}{{- end -}}
{{- end -}}

{{- define "orchestrator.siloImage" -}}
{{- printf "%s:%s" .Values.silo.image.repository (default .Chart.AppVersion .Values.silo.image.tag) -}}
{{- end -}}

{{/* The gateway address clients use inside the cluster. */}}
{{- define "orchestrator.gateway" -}}
{{- printf "%s-gateway.%s.svc:%v" (include "orchestrator.fullname" .) .Release.Namespace .Values.silo.ports.gateway -}}
{{- end -}}
