#!/usr/bin/env bash
# Measures how fast the smoke suite fails against a target that does not answer (a closed port).
# The issue's bound: every smoke check fails within 30 s in total.
set -euo pipefail
ROOT="$(cd "$(dirname "$0")/.." && pwd)"
dotnet build "$ROOT/tests/Smoke" -v q --nologo >/dev/null
port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])' 2>/dev/null || echo 9)
start=$(date +%s.%N)
GATE_BASE_URL="https://127.0.0.1:$port" \
GATE_DATABASE_URL="postgresql://app:pw@127.0.0.1:$port/thebot_prod?sslmode=require" \
GATE_REDIS_URL="redis://:pw@127.0.0.1:$port/0" \
GATE_STUDENT_EMAIL=student@test.com GATE_STUDENT_PASSWORD=x GATE_ADMIN_EMAIL=admin@test.com GATE_ADMIN_PASSWORD=x \
  dotnet "$ROOT/artifacts/bin/Smoke/debug/Gate.Smoke.dll" -noLogo -reporter quiet >/tmp/closed-port.out 2>&1 || true
end=$(date +%s.%N)
failed=$(grep -c "\[FAIL\]" /tmp/closed-port.out || true)
awk -v p="$port" -v f="$failed" -v s="$start" -v e="$end" 'BEGIN { printf "closed port %s: %s smoke checks failed in %.1f s (bound: 30 s)\n", p, f, e - s }'
