// The sandbox server.
