global using Shop.MailSink.Mailbox;
global using Shop.MailSink.Smtp;
