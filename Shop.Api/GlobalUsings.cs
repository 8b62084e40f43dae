<<<<<<< HEAD
global using Shop.Api.Analytics;
=======
global using Shop.Api.ApiDocs;
global using Shop.Api.Caching;
>>>>>>> main
global using Shop.Api.Catalog;
global using Shop.Api.CatalogActivity;
global using Shop.Api.Database;
global using Shop.Api.ErrorHandling;
global using Shop.Api.Messaging;
<<<<<<< HEAD
global using Shop.Api.Outbox;
=======
global using Shop.Api.RateLimiting;
>>>>>>> main
global using Shop.Api.Users;
