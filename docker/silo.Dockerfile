# probegrid-silo. TORCH_DEVICE=cuda builds against TorchSharp-cuda-linux (not on this project's package
# mirror; build GPU images where nuget.org is reachable). .NET 10 images are Ubuntu 24.04, whose
# libstdc++ has the GLIBCXX_3.4.32 TorchSharp 0.107 needs.
FROM mcr.microsoft.com/dotnet/sdk:10.0 AS build
ARG TORCH_DEVICE=cpu
WORKDIR /src
COPY . .
RUN dotnet publish Silo -c Release -p:TorchDevice=${TORCH_DEVICE} -o /app

FROM mcr.microsoft.com/dotnet/aspnet:10.0
WORKDIR /app
COPY --from=build /app .
COPY docker/silo-entrypoint.sh /usr/local/bin/silo-entrypoint.sh
# Silos run unprivileged (the image's `app`, uid 1654; compose and k8s may pick another uid): they open only
# what the data roots let that user read. /cache is the activation cache's scratch, writable by any uid.
RUN mkdir -p /cache && chmod 1777 /cache
USER app
ENTRYPOINT ["/usr/local/bin/silo-entrypoint.sh"]
