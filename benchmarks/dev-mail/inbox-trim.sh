#!/usr/bin/env bash
# smtp4dev's CPU per mail with and without the inbox index the AppHost adds
# (ShopAspire.AppHost/DevMailServerIndex.cs). For each case: a fresh inbox in RAM, 400 mails to
# warm up, then 2,000 over 4 SMTP connections; CPU is utime+stime of the smtp4dev process from
# /proc until every mail is stored. Needs python3 and curl; ports 39111/39025 must be free.
# Usage: benchmarks/dev-mail/inbox-trim.sh [mails]
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
appdir="$here/../../ShopAspire.AppHost"
mails=${1:-2000}
http=39111 smtp=39025
tick=$(getconf CLK_TCK)

run() { # $1 = label, $2 = "index" or "none"
    local dir; dir=$(mktemp -d /dev/shm/inbox-trim.XXXX)
    (cd "$appdir" && exec dotnet tool run smtp4dev -- --urls=http://localhost:$http --smtpport=$smtp \
        --allowremoteconnections- --imapport= --pop3port= --db="$dir/smtp4dev.db" --baseappdatapath="$dir" \
        --nousersettings --messagestokeep=10000 > "$dir/log" 2>&1) &
    for _ in $(seq 90); do curl -sf http://localhost:$http/api/version > /dev/null && break; sleep 1; done
    local pid; pid=$(pgrep -f "Rnwood.Smtp4dev.*--smtpport=$smtp" | head -1)
    if [ "$2" = index ]; then
        python3 -c "import sqlite3; c = sqlite3.connect('$dir/smtp4dev.db'); c.execute('CREATE INDEX IF NOT EXISTS IX_Messages_MailboxId_ReceivedDate ON Messages (MailboxId, ReceivedDate)'); c.commit()"
    fi
    python3 "$here/mail_blast.py" 127.0.0.1 $smtp 400 4 > /dev/null
    sleep 3
    local before after stored=0 sent
    before=$(awk '{print $14 + $15}' /proc/$pid/stat)
    sent=$(python3 "$here/mail_blast.py" 127.0.0.1 $smtp "$mails" 4)
    for _ in $(seq 300); do
        stored=$(curl -s "http://localhost:$http/api/messages?pageSize=1" | python3 -c "import sys, json; print(json.load(sys.stdin).get('rowCount', 0))")
        [ "$stored" -ge $((mails + 400)) ] && break
        sleep 1
    done
    after=$(awk '{print $14 + $15}' /proc/$pid/stat)
    awk -v l="$1" -v s="$sent" -v n="$stored" -v t=$((after - before)) -v hz="$tick" -v m="$mails" \
        'BEGIN { printf "%s: %s, %d stored, smtp4dev CPU %.0f ms = %.2f ms a mail\n", l, s, n, t * 1000 / hz, t * 1000 / hz / m }'
    kill "$pid"; wait 2> /dev/null || true
    rm -rf "$dir"
}

run "without the index" none
run "with the index" index
