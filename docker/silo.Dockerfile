# The control plane: `orch up` (an Orleans silo). Build from the repository root:
#   docker build -f docker/silo.Dockerfile -t ghcr.io/orchestrator/silo:0.1.0 .
# Not built on the project's machines (no container engine there); see README "Install on Kubernetes".

FROM mcr.microsoft.com/dotnet/sdk:10.0 AS build
WORKDIR /src
COPY . .
RUN dotnet publish client/Orchestrator.Cli -c Release -o /out

# The silo never loads TorchSharp, so the plain ASP.NET Core runtime (it serves /metrics and the health checks) will do.
FROM mcr.microsoft.com/dotnet/aspnet:10.0
WORKDIR /app
COPY --from=build /out .
ENV ORCH_HOME=/var/lib/orchestrator DOTNET_gcServer=0
RUN mkdir -p /var/lib/orchestrator && chown "$APP_UID" /var/lib/orchestrator
# The .NET images' unprivileged "app" user (uid 1654); the chart runs it with the same uid.
USER $APP_UID
EXPOSE 11111 30000 9464
ENTRYPOINT ["dotnet", "/app/orch.dll"]
CMD ["up", "--mode", "redis", "--backend", "kubernetes"]
