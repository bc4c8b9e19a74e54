#!/bin/sh
# Each container advertises its own address to the cluster (needed when it listens on 0.0.0.0),
# so `docker compose up --scale silo=N` works without per-replica settings.
set -e
: "${ProbeGrid__Silo__AdvertisedAddress:=$(hostname -i | cut -d' ' -f1)}"
export ProbeGrid__Silo__AdvertisedAddress
exec dotnet /app/probegrid-silo.dll "$@"
