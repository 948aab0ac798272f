{{/*
The alert rules (Prometheus rule-file "groups"), shared by the PrometheusRule. Thresholds come from
.Values.prometheusRule.thresholds. Each alert's "query" annotation is the signal it compares with its threshold,
to graph when it fires. Cluster-wide gauges are exported by every silo alike, hence max().
*/}}
{{- define "orchestrator.alertRules" -}}
{{- $t := .Values.prometheusRule.thresholds -}}
groups:
  - name: orchestrator
    rules:
      - alert: OrchestratorDevicesFailed
        expr: max by (gpu_type) (orchestrator_gpus{state="failed"}) > 0
        for: 1m
        labels:
          severity: warning
        annotations:
          summary: '{{ "{{ $value }}" }} {{ "{{ $labels.gpu_type }}" }} device(s) are marked failed'
          description: Failed devices are never placed; `orch cluster` lists them and `orch cluster --uncordon DEVICE` returns one after repair.
          query: max by (gpu_type) (orchestrator_gpus{state="failed"})
      - alert: OrchestratorJobRestartingRepeatedly
        expr: max by (job, queue) (max_over_time(orchestrator_job_restarts[{{ $t.restartWindow }}]) - min_over_time(orchestrator_job_restarts[{{ $t.restartWindow }}])) >= {{ $t.restarts }}
        labels:
          severity: warning
        annotations:
          summary: 'Job {{ "{{ $labels.job }}" }} started {{ "{{ $value }}" }} new attempts within {{ $t.restartWindow }}'
          description: See `orch job ID` for the attempts' end reasons and `orch logs ID --attempt N`.
          query: max by (job, queue) (orchestrator_job_restarts)
      - alert: OrchestratorQueueWaitHigh
        expr: histogram_quantile(0.9, sum by (queue, le) (rate(orchestrator_queue_wait_seconds_bucket[30m]))) > {{ $t.queueWaitSeconds }}
        for: 15m
        labels:
          severity: info
        annotations:
          summary: 'Jobs in queue {{ "{{ $labels.queue }}" }} waited {{ "{{ $value | humanizeDuration }}" }} (p90) to be placed'
          description: The cluster is short of devices for this queue; `orch queue` says why each job waits.
          query: histogram_quantile(0.9, sum by (queue, le) (rate(orchestrator_queue_wait_seconds_bucket[30m])))
      - alert: OrchestratorCheckpointStallOverBudget
        expr: max by (job, queue) (orchestrator_job_checkpoint_stall_seconds) > {{ $t.checkpointStallSeconds }}
        for: 5m
        labels:
          severity: warning
        annotations:
          summary: 'Checkpoints of job {{ "{{ $labels.job }}" }} stall training {{ "{{ $value | humanizeDuration }}" }} (budget {{ $t.checkpointStallSeconds }} s)'
          description: The snapshot blocks the training loop; check the checkpoint volume's throughput.
          query: max by (job, queue) (orchestrator_job_checkpoint_stall_seconds)
      - alert: OrchestratorHeartbeatLagHigh
        expr: histogram_quantile(0.99, sum by (le) (rate(orchestrator_heartbeat_lag_seconds_bucket[5m]))) > {{ $t.heartbeatLagSeconds }}
        for: 5m
        labels:
          severity: warning
        annotations:
          summary: 'Node heartbeats arrive {{ "{{ $value | humanizeDuration }}" }} late (p99)'
          description: The control plane is overloaded or the network is slow; job liveness may misjudge workers.
          query: histogram_quantile(0.99, sum by (le) (rate(orchestrator_heartbeat_lag_seconds_bucket[5m])))
      - alert: OrchestratorFewerSilosThanConfigured
        expr: max(orchestrator_silos_expected) - max(orchestrator_silos) > 0
        for: 5m
        labels:
          severity: critical
        annotations:
          summary: '{{ "{{ $value }}" }} silo(s) of the control plane are missing'
          description: Fewer silos are active than silo.replicas; check the StatefulSet's pods and /readyz.
          query: max(orchestrator_silos_expected) - max(orchestrator_silos)
      - alert: OrchestratorSilosDown
        expr: absent(orchestrator_silos)
        for: 5m
        labels:
          severity: critical
        annotations:
          summary: No silo of the control plane exports metrics
          description: Every silo is down or unreachable for Prometheus.
          query: count(orchestrator_silos)
{{- end -}}
