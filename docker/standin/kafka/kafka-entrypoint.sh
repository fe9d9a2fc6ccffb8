#!/usr/bin/env bash
# Turns KAFKA_* variables into server.properties the way apache/kafka does
# (KAFKA_ADVERTISED_LISTENERS -> advertised.listeners, ___ -> -, __ -> _), formats the KRaft
# storage on first start, and runs the broker in the foreground.
set -euo pipefail
PROPS=/opt/kafka/config/server.properties
CP='/opt/kafka/libs/*'
: "${CLUSTER_ID:=5L6g3nShT-eMCtK--X86sw}"
: "${KAFKA_HEAP_OPTS:=-Xmx512M -Xms256M}"

{
  echo "log.dirs=/var/lib/kafka/data"
  env | grep '^KAFKA_' | while IFS='=' read -r name value; do
    case "$name" in
      # Variables of the start scripts, not broker settings.
      KAFKA_HEAP_OPTS | KAFKA_OPTS | KAFKA_JVM_PERFORMANCE_OPTS | KAFKA_GC_LOG_OPTS | KAFKA_LOG4J_OPTS | KAFKA_JMX_OPTS | KAFKA_DEBUG) continue ;;
    esac
    key=$(echo "${name#KAFKA_}" | tr '[:upper:]' '[:lower:]' | sed -e 's/___/-/g' -e 's/__/@/g' -e 's/_/./g' -e 's/@/_/g')
    echo "$key=$value"
  done
} >"$PROPS"

JAVA=(java $KAFKA_HEAP_OPTS -XX:+UseG1GC -XX:MaxGCPauseMillis=20 -Djava.awt.headless=true
  -Dlog4j2.configurationFile=/opt/kafka/config/log4j2.yaml ${KAFKA_OPTS:-} -cp "$CP")

if [ ! -f /var/lib/kafka/data/meta.properties ]; then
  "${JAVA[@]}" kafka.tools.StorageTool format --ignore-formatted -t "$CLUSTER_ID" -c "$PROPS"
fi
exec "${JAVA[@]}" kafka.Kafka "$PROPS"
