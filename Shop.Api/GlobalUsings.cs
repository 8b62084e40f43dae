global using Shop.Api.Catalog;
global using Shop.Api.CatalogActivity;
global using Shop.Api.Database;
global using Shop.Api.ErrorHandling;
global using Shop.Api.Messaging;
global using Shop.Api.Users;
