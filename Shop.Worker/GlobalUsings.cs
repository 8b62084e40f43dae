global using Npgsql;
global using Shop.Worker.Admin;
global using Shop.Worker.Analytics;
global using Shop.Worker.CatalogActivity;
global using Shop.Worker.Email;
global using Shop.Worker.Messaging;
global using Shop.Worker.Outbox;
global using Shop.Worker.Payments;
