{{/* Shared template helpers of the spiderpool chart. */}}

{{- define "spiderpool.name" -}}
{{- default "spiderpool" .Values.global.nameOverride | trunc 63 | trimSuffix "-" -}}
{{- end -}}

{{- define "spiderpool.chart" -}}
{{- printf "%s-%s" .Chart.Name .Chart.Version | replace "+" "_" | trunc 63 | trimSuffix "-" -}}
{{- end -}}

{{- define "spiderpool.controller.name" -}}{{ .Values.spiderpoolController.name | trunc 63 | trimSuffix "-" }}{{- end -}}
{{- define "spiderpool.webhook.name" -}}{{ .Values.spiderpoolWebhook.name | trunc 63 | trimSuffix "-" }}{{- end -}}
{{- define "spiderpool.agent.name" -}}{{ .Values.spiderpoolAgent.name | trunc 63 | trimSuffix "-" }}{{- end -}}
{{- define "spiderpool.init.name" -}}{{ .Values.spiderpoolInit.name | trunc 63 | trimSuffix "-" }}{{- end -}}
{{- define "spiderpool.multus.name" -}}{{ .Values.multus.multusCNI.name | trunc 63 | trimSuffix "-" }}{{- end -}}

{{/* Selector labels: name + instance + component. Call with (dict "ctx" $ "component" "x"). */}}
{{- define "spiderpool.selectorLabels" -}}
app.kubernetes.io/name: {{ include "spiderpool.name" .ctx }}
app.kubernetes.io/instance: {{ .ctx.Release.Name }}
app.kubernetes.io/component: {{ .component }}
{{- end -}}

{{/* Full labels: selector labels + chart/version/managed-by + global.commonLabels. */}}
{{- define "spiderpool.labels" -}}
{{ include "spiderpool.selectorLabels" . }}
helm.sh/chart: {{ include "spiderpool.chart" .ctx }}
app.kubernetes.io/version: {{ .ctx.Chart.AppVersion | quote }}
app.kubernetes.io/managed-by: {{ .ctx.Release.Service }}
{{- with .ctx.Values.global.commonLabels }}
{{ toYaml . }}
{{- end }}
{{- end -}}

{{/* metadata.annotations block from global.commonAnnotations (renders nothing when empty). */}}
{{- define "spiderpool.commonAnnotations" -}}
{{- with .Values.global.commonAnnotations }}
annotations:
  {{- toYaml . | nindent 2 }}
{{- end }}
{{- end -}}

{{/*
Image reference (controller-and-chart.md §5.10): <registry>/<repository>, registry = global.imageRegistryOverride
when set, else image.registry (empty: repository alone); then @digest, else :tag, else :v<appVersion>.
Call with (dict "ctx" $ "image" .Values.x.image) and optionally "defaultTag".
*/}}
{{- define "spiderpool.image" -}}
{{- $registry := .ctx.Values.global.imageRegistryOverride | default .image.registry -}}
{{- $ref := .image.repository -}}
{{- if $registry -}}{{- $ref = printf "%s/%s" $registry .image.repository -}}{{- end -}}
{{- if .image.digest -}}
{{- printf "%s@%s" $ref .image.digest -}}
{{- else if .image.tag -}}
{{- printf "%s:%s" $ref (toString .image.tag) -}}
{{- else -}}
{{- printf "%s:%s" $ref (default (printf "v%s" .ctx.Chart.AppVersion) .defaultTag) -}}
{{- end -}}
{{- end -}}

{{/* Probe host: 127.0.0.1, or ::1 in an IPv6-only cluster. */}}
{{- define "spiderpool.probeHost" -}}
{{- if .Values.ipam.enableIPv4 -}}127.0.0.1{{- else -}}::1{{- end -}}
{{- end -}}

{{- define "spiderpool.tls.secretName" -}}{{ .Values.spiderpoolController.tls.secretName }}{{- end -}}

{{/*
Webhook serving material, computed once per render and cached in .Values (Helm renders every template with the
same .Values, so the Secret and both webhook configurations see the same CA). Returns a dict with ca/cert/key
(PEM, or base64 for "provided").
*/}}
{{- define "spiderpool.tls.material" -}}
{{- $tls := .Values.spiderpoolController.tls -}}
{{- if not (hasKey $tls "_generated") -}}
{{- if eq $tls.method "auto" -}}
{{- $svc := include "spiderpool.webhook.name" . -}}
{{- $ns := .Release.Namespace -}}
{{- $dns := list "spidernet.io" (printf "%s.%s.svc.%s" $svc $ns .Values.global.clusterDnsDomain) (printf "%s.%s.svc" $svc $ns) (printf "%s.%s" $svc $ns) -}}
{{- $dns = concat $dns ($tls.auto.extraDnsNames | default list) -}}
{{- $ca := genCA "spidernet.io" (int $tls.auto.caExpiration) -}}
{{- $cert := genSignedCert "spidernet.io" ($tls.auto.extraIpAddresses | default list) $dns (int $tls.auto.certExpiration) $ca -}}
{{- $_ := set $tls "_generated" (dict "ca" ($ca.Cert | b64enc) "cert" ($cert.Cert | b64enc) "key" ($cert.Key | b64enc)) -}}
{{- else if eq $tls.method "provided" -}}
{{- $_ := set $tls "_generated" (dict "ca" (required "spiderpoolController.tls.provided.tlsCa is required" $tls.provided.tlsCa) "cert" (required "spiderpoolController.tls.provided.tlsCert is required" $tls.provided.tlsCert) "key" (required "spiderpoolController.tls.provided.tlsKey is required" $tls.provided.tlsKey)) -}}
{{- else if eq $tls.method "certmanager" -}}
{{- $_ := set $tls "_generated" (dict) -}}
{{- else -}}
{{- fail (printf "spiderpoolController.tls.method must be auto, provided or certmanager, not %q" $tls.method) -}}
{{- end -}}
{{- end -}}
{{- toYaml $tls._generated -}}
{{- end -}}
