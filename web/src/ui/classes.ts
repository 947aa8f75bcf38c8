/** Class lists of the design system's components, shared so that every button and field looks the same. */
export const button = {
  primary:
    'inline-flex min-h-11 items-center justify-center rounded-8 border-4 border-double border-transparent bg-blue-900 px-4 py-2 text-oln-16B-100 text-white no-underline hover:bg-blue-1000 hover:underline disabled:bg-solid-gray-300 disabled:text-solid-gray-50',
  secondary:
    'inline-flex min-h-11 items-center justify-center rounded-8 border border-blue-900 bg-white px-4 py-2 text-oln-16B-100 text-blue-900 no-underline hover:bg-blue-50 hover:text-blue-1000 hover:underline disabled:border-solid-gray-300 disabled:text-solid-gray-300',
  text: 'inline-flex min-h-11 items-center rounded-4 px-2 text-oln-16N-100 text-blue-1000 underline underline-offset-[0.1875rem] hover:decoration-[0.1875rem]',
};

export const field = {
  label: 'block text-std-17B-170 text-solid-gray-800',
  hint: 'block text-std-16N-170 text-solid-gray-600',
  input:
    'block w-full max-w-[40rem] min-h-12 rounded-8 border border-solid-gray-600 bg-white px-4 py-2 text-std-16N-170 text-solid-gray-800 hover:border-black aria-[invalid=true]:border-error-1',
  error: 'block text-std-16N-170 text-error-1',
};

export const table = {
  wrap: 'w-full overflow-x-auto',
  table: 'w-full text-left text-dns-16N-130',
  caption: 'mb-2 text-left text-std-18B-160',
  th: 'border-b border-solid-gray-420 bg-solid-gray-50 px-3 py-2 align-bottom text-dns-16B-130',
  td: 'border-b border-solid-gray-200 px-3 py-2 align-top',
};

export const card = 'rounded-12 border border-solid-gray-200 bg-white p-4 md:p-6';
export const heading2 = 'text-std-22B-150 text-solid-gray-900';
export const mono = 'font-mono text-mono-14N-150 break-all';
