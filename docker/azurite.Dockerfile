# Azurite, the Azure Storage emulator, for `docker compose -f docker-compose.yml -f docker-compose.azure.yml`: the same
# pinned version as scripts/azurite and the tests (npm ci from scripts/azurite-npm's lock file).
FROM node:22-bookworm-slim
WORKDIR /azurite
COPY scripts/azurite-npm/package.json scripts/azurite-npm/package-lock.json ./
RUN npm ci --omit=dev --no-audit --no-fund --ignore-scripts && mkdir /data && chown node:node /data
USER node
EXPOSE 10000 10002
# On the compose network only (no published port). SIGTERM (docker stop) makes Azurite write its metadata out; its
# account and key come from AZURITE_ACCOUNTS, so the well-known development key opens nothing here.
ENTRYPOINT ["node", "node_modules/azurite/dist/src/azurite.js", "--silent", "--disableTelemetry", "--skipApiVersionCheck", "--location", "/data", \
            "--blobHost", "0.0.0.0", "--queueHost", "0.0.0.0", "--tableHost", "0.0.0.0"]
