global using Shop.Worker.CatalogActivity;
global using Shop.Worker.Messaging;
