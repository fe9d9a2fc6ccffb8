# One image for every service; APP (set at run time, e.g. by docker-compose.yml) picks which one
# runs. Written for the legacy builder as well as BuildKit (no --mount, no COPY --chmod).
#   docker build --build-arg APP=accounts -t drone-delivery/accounts .
#   docker run -e APP=scheduler ... drone-delivery/service
ARG NODE_IMAGE=node:24-slim

# ---- npm: what both install stages share ----------------------------------------------------------
FROM ${NODE_IMAGE} AS npm
# Only behind a TLS-intercepting proxy: its CA certificate(s), PEM, for npm to trust, e.g.
#   --build-arg EXTRA_CA_CERTS="$(cat /usr/local/share/ca-certificates/*.crt)"
# Empty by default (Node then adds nothing). Install stages only: the runtime image never sees it.
ARG EXTRA_CA_CERTS=""
RUN printf '%s\n' "$EXTRA_CA_CERTS" > /usr/local/share/extra-ca-certs.pem
ENV NODE_EXTRA_CA_CERTS=/usr/local/share/extra-ca-certs.pem
WORKDIR /app
COPY package.json package-lock.json ./

# ---- build: all dependencies, SWC compiles apps and libs to dist/ --------------------------------
FROM npm AS build
RUN npm ci --no-audit --no-fund --update-notifier=false --loglevel=error
COPY tsconfig.base.json ./
COPY tools/build-apps.mjs tools/
COPY libs libs
COPY apps apps
RUN npm run build

# ---- production dependencies only (own stage, so a code change does not reinstall them) ----------
FROM npm AS production-dependencies
RUN npm ci --omit=dev --no-audit --no-fund --update-notifier=false --loglevel=error

# ---- runtime ----------------------------------------------------------------------------------------
FROM ${NODE_IMAGE}
ENV NODE_ENV=production \
    NODE_OPTIONS=--enable-source-maps
WORKDIR /app
COPY package.json ./
COPY --from=production-dependencies /app/node_modules node_modules
COPY --from=build /app/dist dist
USER node
ARG APP
ENV APP=${APP}
# Ready = /health/ready answers 200 (docker/healthcheck.sh: bash, not a Node start every check).
COPY docker/healthcheck.sh /usr/local/bin/healthcheck
HEALTHCHECK --interval=10s --timeout=3s --start-period=30s --retries=3 CMD ["healthcheck"]
# exec: node replaces the shell as PID 1, so it gets SIGTERM from `docker stop` (graceful shutdown).
CMD ["sh", "-c", "exec node dist/apps/${APP:?set APP to the service to run, e.g. APP=scheduler}/src/main.js"]
