"""Citizen promises (*medborgarlöften*): the year's document, its focus areas and commitments
(`L7`), the basis it rests on (situation picture, safety survey), and the status requests
before each tertial report."""
