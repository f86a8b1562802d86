UPDATE "order items" SET sku=?AND x==?1 WHERE [order items].id = :id -- ?
/* ? unterminated