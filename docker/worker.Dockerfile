# A job pod's worker: the built-in TorchSharp runtime (CPU LibTorch) with Gloo for collectives. Build from the root:
#   docker build -f docker/worker.Dockerfile -t ghcr.io/orchestrator/worker:0.1.0 .
# Not built on the project's machines (no container engine there); see README "Install on Kubernetes".

FROM mcr.microsoft.com/dotnet/sdk:10.0 AS build
WORKDIR /src
COPY . .
RUN dotnet publish workloads/Orchestrator.Worker -c Release -o /out

FROM mcr.microsoft.com/dotnet/runtime:10.0
WORKDIR /app
# libgloo0: the Gloo collective library (libgloo.so.0) the communicator loads.
RUN apt-get update \
 && apt-get install -y --no-install-recommends libgloo0 \
 && rm -rf /var/lib/apt/lists/*
COPY --from=build /out .

# TorchSharp's native-library fix, applied now rather than when a pod starts (kernels/Orchestrator.Kernels/Native):
# where the base's libstdc++ lacks GLIBCXX_3.4.32 (Debian 12), --prepare-native marks that requirement weak in
# /app's libLibTorchSharp.so and compiles the one-symbol shim into $XDG_CACHE_HOME with g++, which is removed again.
# On bases that have the symbol (Ubuntu 24.04, Debian 13) it finds nothing to do.
ENV XDG_CACHE_HOME=/opt/orchestrator/cache
# Fixed thread teams keep reductions in one order, so a resumed run matches an uninterrupted one (LocalProcessBackend does the same).
ENV MKL_DYNAMIC=FALSE OMP_DYNAMIC=FALSE
RUN if ! grep -q GLIBCXX_3.4.32 "$(ldconfig -p | awk '/libstdc\+\+\.so\.6 /{print $NF; exit}')"; then \
      apt-get update && apt-get install -y --no-install-recommends g++ \
      && dotnet /app/Orchestrator.Worker.dll --prepare-native \
      && apt-get purge -y --auto-remove g++ && rm -rf /var/lib/apt/lists/*; \
    else dotnet /app/Orchestrator.Worker.dll --prepare-native; fi \
 && mkdir -p "$XDG_CACHE_HOME" && chmod -R a+rX "$XDG_CACHE_HOME"

USER $APP_UID
ENTRYPOINT ["dotnet", "/app/Orchestrator.Worker.dll"]
