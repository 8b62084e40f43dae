global using Shop.PaymentProvider.Behaviour;
global using Shop.PaymentProvider.Charges;
