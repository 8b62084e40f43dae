"""Sends mails shaped like the shop's confirmations (text + HTML, a traceparent header) over N SMTP
connections. Usage: mail_blast.py HOST PORT TOTAL CONNECTIONS"""
import smtplib
import sys
import threading
import time
from email.message import EmailMessage

host, port, total, connections = sys.argv[1], int(sys.argv[2]), int(sys.argv[3]), int(sys.argv[4])
html = "<html><body><h1>Thank you for your order</h1>" + "<p>line item, quantity 1, 12.50 EUR</p>" * 20 + "</body></html>"


def send(count, connection):
    smtp = smtplib.SMTP(host, port)
    for i in range(count):
        mail = EmailMessage()
        mail["From"] = "shop@shopaspire.local"
        mail["To"] = f"customer{connection}-{i}@example.com"
        mail["Subject"] = f"Order {connection}-{i} confirmed"
        mail["traceparent"] = "00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01"
        mail.set_content("Thank you for your order\n" * 20)
        mail.add_alternative(html, subtype="html")
        smtp.send_message(mail)
    smtp.quit()


threads = [threading.Thread(target=send, args=(total // connections, k)) for k in range(connections)]
started = time.time()
for t in threads:
    t.start()
for t in threads:
    t.join()
print(f"sent {total} in {time.time() - started:.1f} s")
