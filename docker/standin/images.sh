# Names of the stand-in images; sourced by build-images.sh. Bump a tag when its recipe changes,
# so a machine that built the old one rebuilds.
STANDIN_BASE_IMAGE=drone-delivery/standin-debian:bookworm-1
STANDIN_POSTGRES_IMAGE=drone-delivery/standin-postgres:15-1
STANDIN_KAFKA_IMAGE=drone-delivery/standin-kafka:4.1.1-2
STANDIN_NODE_IMAGE=drone-delivery/standin-node:24-1
