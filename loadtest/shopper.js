'use strict';

// What a shopper decides between requests (shopper-mix.yml): which category, product and
// search term, who they are, and a fresh Idempotency-Key for each checkout.
// State lives per Artillery worker: customers who checked out come back as returning shoppers
// of the same worker.

const { randomUUID } = require('node:crypto');

// Words from the demo catalog's product names (Shop.Api/Catalog/DemoCatalog), so most searches
// find something; "unicorn" finds nothing, as some searches do.
const searchTerms = ['set', 'wooden', 'garden', 'leather', 'steel', 'wool', 'linen', 'light', 'kit', 'coffee', 'unicorn'];

function pickCategory(request, response, context, events, next) {
  const categories = JSON.parse(response.body);
  context.vars.category = categories[Math.floor(Math.random() * categories.length)].slug;
  return next();
}

// Weighted by stock: demand spreads as the stock does and no product sells out long before the
// rest. "found" says whether the page had any product to pick (a search may find none).
function pickProduct(request, response, context, events, next) {
  const products = JSON.parse(response.body).items.filter((p) => p.stock > 0);
  context.vars.found = products.length > 0;
  if (products.length > 0) {
    let ticket = Math.random() * products.reduce((sum, p) => sum + p.stock, 0);
    const picked = products.find((p) => (ticket -= p.stock) < 0) ?? products[products.length - 1];
    context.vars.productId = picked.id;
  }
  return next();
}

function pickSearchTerm(context, events, next) {
  context.vars.searchTerm = searchTerms[Math.floor(Math.random() * searchTerms.length)];
  return next();
}

// A customer of their own per visit: carts and order histories never collide between visits.
function newShopper(context, events, next) {
  context.vars.email = `load-${randomUUID()}@example.test`;
  context.vars.password = 'correct horse battery';
  return next();
}

// Customers who checked out, still signed in (a token lasts 60 min), with one of their orders.
// Bounded: the newest few hundred are plenty to come back.
const checkedOut = [];
const rememberedShoppers = 500;

function rememberShopper(context, events, next) {
  checkedOut.push({ token: context.vars.token, orderId: context.vars.orderId });
  if (checkedOut.length > rememberedShoppers) {
    checkedOut.shift();
  }
  return next();
}

// Sets "returning" (false while nobody has checked out yet), and that customer's token and order.
function returningShopper(context, events, next) {
  context.vars.returning = checkedOut.length > 0;
  if (context.vars.returning) {
    Object.assign(context.vars, checkedOut[Math.floor(Math.random() * checkedOut.length)]);
  }
  return next();
}

// One key per checkout attempt, as a client that retries only with the same key would make.
function newIdempotencyKey(request, context, events, next) {
  request.headers = { ...request.headers, 'Idempotency-Key': randomUUID() };
  return next();
}

module.exports = { pickCategory, pickProduct, pickSearchTerm, newShopper, rememberShopper, returningShopper, newIdempotencyKey };
